package dev.perpetual.daemon.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.internal.records.Rollups;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;

/**
 * A {@link RunRecord} as a row of {@code perpetual_runs} and back (its lists as JSON text), and the rollups a batch
 * adds. Times are microseconds since the epoch, durations nanoseconds.
 */
final class RunRows {

    static final String COLUMNS = "test, run_id, test_class, location, planned_us, start_us, duration_ns, outcome, "
            + "attempts, message, stack, log_lines, dropped_log_lines, steps, webhooks, thread_stuck, output, "
            + "artifacts, trace_id, span_id";
    /** When a row was written, in µs by the database's clock (schema version 3): what replicas follow. */
    private static final String STORED_POSTGRESQL = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";
    private static final String STORED_SQLITE = "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)";
    private static final String ROLLUP = "INSERT INTO perpetual_rollups (test, hour_s, outcome, runs) VALUES (?, ?, "
            + "?, ?) ON CONFLICT (test, hour_s, outcome) DO UPDATE SET runs = perpetual_rollups.runs + excluded.runs";
    private static final String LATENCY = "INSERT INTO perpetual_latency (test, hour_s, bucket, runs) VALUES (?, ?, "
            + "?, ?) ON CONFLICT (test, hour_s, bucket) DO UPDATE SET runs = perpetual_latency.runs + excluded.runs";
    private static final TypeReference<List<String>> LINES = new TypeReference<>() {
    };
    private static final TypeReference<List<StepRow>> STEPS = new TypeReference<>() {
    };
    private static final TypeReference<List<WebhookRow>> WEBHOOKS = new TypeReference<>() {
    };

    /** A step; its span ids are absent (null) in rows written before schema version 2. */
    record StepRow(String name, long startUs, long durationNs, String outcome, String spanId, String parentSpanId) {
    }

    record WebhookRow(String channel, String key, int deliveries, Long latencyNs) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String location;
    private final String clock;
    private final String insert;

    /**
     * {@code location}: {@code perpetual.location} of this daemon, kept with each run of its own it writes (or
     * null); {@code postgresql}: else SQLite.
     */
    RunRows(String location, boolean postgresql) {
        this.location = location;
        this.clock = postgresql ? STORED_POSTGRESQL : STORED_SQLITE;
        this.insert = "INSERT INTO perpetual_runs (" + COLUMNS + ", stored_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + clock + ") ON CONFLICT (test, run_id) DO NOTHING";
    }

    /** The SQL of the database's clock now, in µs, as rows are stamped with it. */
    String clock() {
        return clock;
    }

    /** Writes {@code records} and their rollups in one transaction. */
    void insert(Connection connection, List<RunRecord> records) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement runs = connection.prepareStatement(insert);
                PreparedStatement rollups = connection.prepareStatement(ROLLUP);
                PreparedStatement latency = connection.prepareStatement(LATENCY)) {
            Map<List<Object>, Long> outcomes = new LinkedHashMap<>();
            Map<List<Object>, Long> buckets = new LinkedHashMap<>();
            for (RunRecord record : records) {
                bind(runs, record);
                runs.addBatch();
                long hour = Rollups.hour(record.start());
                outcomes.merge(List.of(record.test(), hour, record.outcome().label()), 1L, Long::sum);
                if (record.outcome() != Outcome.ABORTED) {
                    buckets.merge(List.of(record.test(), hour, Rollups.bucket(record.duration())), 1L, Long::sum);
                }
            }
            runs.executeBatch();
            addAll(rollups, outcomes);
            addAll(latency, buckets);
            connection.commit();
        }
        catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        finally {
            connection.setAutoCommit(true);
        }
    }

    private static void addAll(PreparedStatement statement, Map<List<Object>, Long> counts) throws SQLException {
        for (Map.Entry<List<Object>, Long> count : counts.entrySet()) {
            List<Object> key = count.getKey();
            statement.setString(1, (String) key.get(0));
            statement.setLong(2, (Long) key.get(1));
            statement.setObject(3, key.get(2));
            statement.setLong(4, count.getValue());
            statement.addBatch();
        }
        statement.executeBatch();
    }

    private void bind(PreparedStatement row, RunRecord record) throws SQLException {
        row.setString(1, record.test());
        row.setString(2, record.runId());
        row.setString(3, record.testClass());
        row.setString(4, record.location() != null ? record.location() : location);
        if (record.planned() == null) {
            row.setNull(5, Types.BIGINT);
        }
        else {
            row.setLong(5, micros(record.planned()));
        }
        row.setLong(6, micros(record.start()));
        row.setLong(7, record.duration().toNanos());
        row.setString(8, record.outcome().label());
        row.setInt(9, record.attempts());
        row.setString(10, record.message());
        row.setString(11, record.stack());
        row.setString(12, write(record.logLines()));
        row.setInt(13, record.droppedLogLines());
        row.setString(14, write(record.steps().stream().map(step -> new StepRow(step.name(),
                micros(step.start()), step.duration().toNanos(), step.outcome().label(), step.spanId(),
                step.parentSpanId())).toList()));
        row.setString(15, write(record.webhooks().stream().map(hook -> new WebhookRow(hook.channel(), hook.key(),
                hook.deliveries(), hook.latency().map(Duration::toNanos).orElse(null))).toList()));
        row.setInt(16, record.threadStuck() ? 1 : 0);
        row.setString(17, record.output());
        row.setString(18, record.artifacts());
        row.setString(19, record.traceId());
        row.setString(20, record.spanId());
    }

    /** The records of {@code rows} (selected as {@link #COLUMNS}). */
    List<RunRecord> read(ResultSet rows) throws SQLException {
        List<RunRecord> records = new ArrayList<>();
        while (rows.next()) {
            records.add(record(rows));
        }
        return records;
    }

    private RunRecord record(ResultSet rows) throws SQLException {
        long planned = rows.getLong("planned_us");
        Instant plannedAt = rows.wasNull() ? null : instant(planned);
        List<RunReport.Step> steps = read(rows.getString("steps"), STEPS).stream()
                .map(step -> new RunReport.Step(step.name(), instant(step.startUs()),
                        Duration.ofNanos(step.durationNs()), outcome(step.outcome()), step.spanId(),
                        step.parentSpanId()))
                .toList();
        List<RunReport.Webhook> webhooks = read(rows.getString("webhooks"), WEBHOOKS).stream()
                .map(hook -> new RunReport.Webhook(hook.channel(), hook.key(), hook.deliveries(),
                        Optional.ofNullable(hook.latencyNs()).map(Duration::ofNanos)))
                .toList();
        return new RunRecord(rows.getString("test"), rows.getString("test_class"),
                rows.getString("run_id"), plannedAt, instant(rows.getLong("start_us")),
                Duration.ofNanos(rows.getLong("duration_ns")), outcome(rows.getString("outcome")),
                rows.getInt("attempts"), rows.getString("message"), rows.getString("stack"),
                read(rows.getString("log_lines"), LINES), rows.getInt("dropped_log_lines"), steps, webhooks,
                rows.getInt("thread_stuck") != 0, rows.getString("output"), rows.getString("artifacts"),
                rows.getString("trace_id"), rows.getString("span_id"), rows.getString("location"));
    }

    static Outcome outcome(String label) {
        return Outcome.valueOf(label.toUpperCase(Locale.ROOT));
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> List<T> read(String text, TypeReference<List<T>> type) {
        try {
            return List.copyOf(json.readValue(text, type));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

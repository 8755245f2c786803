package dev.perpetual.daemon.internal.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.perpetual.daemon.internal.records.Rollups;
import dev.perpetual.daemon.internal.records.RunQuery;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.RunStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.apiguardian.api.API;

/**
 * A run store in SQLite or PostgreSQL, through a HikariCP pool. Records are written by a {@link WriteBehind}; the
 * schema is migrated at open, or by the first write once the database can be reached; {@link Retention} prunes every
 * {@value #PRUNE_MINUTES} minutes; with a {@code perpetual.location}, a {@link FleetFollower} reads the runs of the
 * fleet's other replicas every {@value #FOLLOW_MILLIS} ms, on a thread of its own ({@link FleetPolling}).
 */
@API(status = INTERNAL, since = "0.1")
public final class JdbcStore implements RunStore {

    static final long PRUNE_MINUTES = 10;
    static final long FOLLOW_MILLIS = 2_000;

    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final RunRows rows;
    private final Retention retention;
    private final WriteBehind writes;
    private final ScheduledExecutorService pruner;
    private final Consumer<String> warn;
    private final FleetFollower fleet;
    private volatile FleetPolling following;
    private volatile boolean migrated;

    private JdbcStore(StoreSettings settings, String location, MeterRegistry registry, Consumer<String> warn,
            int capacity) {
        this.settings = settings;
        this.warn = warn;
        this.pool = new HikariDataSource(config(settings));
        this.rows = new RunRows(location, !settings.sqlite());
        this.fleet = location == null ? null : new FleetFollower(rows, location);
        this.retention = new Retention(settings);
        this.writes = new WriteBehind(capacity, this::write, registry, warn, Duration.ofSeconds(5));
        this.pruner = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "perpetual-history-pruner");
            thread.setDaemon(true);
            return thread;
        });
        pruner.scheduleWithFixedDelay(this::pruneQuietly, 1, PRUNE_MINUTES, TimeUnit.MINUTES);
    }

    /**
     * The store {@code settings} name ({@link RunStore#MEMORY} for {@code memory}), its schema migrated if the
     * database can be reached now (else at the first write that reaches it); {@code warn} says what goes wrong.
     */
    public static RunStore open(StoreSettings settings, String location, MeterRegistry registry,
            Consumer<String> warn) {
        return settings.memory() ? RunStore.MEMORY : open(settings, location, registry, warn,
                WriteBehind.CAPACITY_DEFAULT);
    }

    static JdbcStore open(StoreSettings settings, String location, MeterRegistry registry, Consumer<String> warn,
            int capacity) {
        if (settings.sqlite()) {
            Path file = Path.of(settings.url().substring(StoreSettings.SQLITE.length()).replaceFirst("\\?.*", ""));
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot make the folder of the run store " + file, e);
            }
        }
        JdbcStore store = new JdbcStore(settings, location, registry, warn, capacity);
        try (Connection connection = store.pool.getConnection()) {
            store.migrate(connection);
        }
        catch (SQLException e) {
            warn.accept(String.format("The run store %s cannot be used (%s): the daemon starts without its "
                    + "earlier runs, queues new ones and writes them when it is back.", settings.url(),
                    e.getMessage()));
        }
        return store;
    }

    private static HikariConfig config(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("perpetual-history");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1); // start even when the database is away
        if (settings.sqlite()) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "5000");
        }
        return config;
    }

    private void migrate(Connection connection) throws SQLException {
        if (!migrated) {
            Schema.migrate(connection, !settings.sqlite());
            migrated = true;
        }
    }

    private void write(List<RunRecord> records) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            migrate(connection);
            rows.insert(connection, records);
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void add(RunRecord record) {
        writes.offer(record);
    }

    @Override
    public List<RunRecord> runs(String test, RunQuery query) {
        String sql = "SELECT " + RunRows.COLUMNS + " FROM perpetual_runs WHERE test = ?"
                + (query.before() == null ? "" : " AND start_us < ?")
                + (query.outcome() == null ? "" : " AND outcome = ?") + " ORDER BY start_us DESC LIMIT ?";
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            select.setString(i++, test);
            if (query.before() != null) {
                select.setLong(i++, RunRows.micros(query.before()));
            }
            if (query.outcome() != null) {
                select.setString(i++, query.outcome().label());
            }
            select.setInt(i, query.limit());
            try (ResultSet found = select.executeQuery()) {
                return rows.read(found);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("The run store cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RunRecord> find(String test, String runId) {
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + RunRows.COLUMNS
                        + " FROM perpetual_runs WHERE test = ? AND run_id = ?")) {
            select.setString(1, test);
            select.setString(2, runId);
            try (ResultSet found = select.executeQuery()) {
                return rows.read(found).stream().findFirst();
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("The run store cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Instant> lastStarts() {
        Map<String, Instant> starts = new HashMap<>();
        try (Connection connection = pool.getConnection(); Statement select = connection.createStatement();
                ResultSet found = select.executeQuery(
                        "SELECT test, MAX(start_us) FROM perpetual_runs GROUP BY test")) {
            while (found.next()) {
                starts.put(found.getString(1), RunRows.instant(found.getLong(2)));
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("The run store cannot be read: " + e.getMessage(), e);
        }
        return starts;
    }

    @Override
    public void restore(Rollups rollups, Instant since) {
        try (Connection connection = pool.getConnection();
                PreparedStatement outcomes = connection.prepareStatement(
                        "SELECT test, hour_s, outcome, runs FROM perpetual_rollups WHERE hour_s >= ?");
                PreparedStatement latency = connection.prepareStatement(
                        "SELECT test, hour_s, bucket, runs FROM perpetual_latency WHERE hour_s >= ?")) {
            outcomes.setLong(1, since.getEpochSecond());
            try (ResultSet found = outcomes.executeQuery()) {
                while (found.next()) {
                    rollups.count(found.getString(1), found.getLong(2), RunRows.outcome(found.getString(3)),
                            found.getLong(4));
                }
            }
            // durations only for the hours the trend shows: memory keeps no older ones
            latency.setLong(1, Math.max(since.getEpochSecond(),
                    Rollups.hour(Instant.now()) - (Rollups.TREND_HOURS - 1) * 3_600L));
            try (ResultSet found = latency.executeQuery()) {
                while (found.next()) {
                    rollups.latency(found.getString(1), found.getLong(2), found.getInt(3), found.getLong(4));
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("The run store cannot be read: " + e.getMessage(), e);
        }
    }

    /** Prunes as of {@code now}; says how many runs went. */
    int prune(Instant now) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            migrate(connection);
            return retention.prune(connection, now);
        }
    }

    private void pruneQuietly() {
        try {
            prune(Instant.now());
        }
        catch (SQLException | RuntimeException e) {
            // the writer says when the database is away; pruning waits for the next round
        }
    }

    @Override
    public boolean follow(Consumer<RunRecord> others) {
        if (fleet == null) {
            return false;
        }
        try (Connection connection = pool.getConnection()) {
            migrate(connection);
            fleet.start(connection);
        }
        catch (SQLException e) {
            // the first poll that reaches the database starts there
        }
        following = new FleetPolling(() -> followOnce(others), Duration.ofMillis(FOLLOW_MILLIS), warn);
        return true;
    }

    /** Hands the runs other replicas wrote since the last time to {@code others}. */
    void followOnce(Consumer<RunRecord> others) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            migrate(connection);
            fleet.poll(connection, others);
        }
    }

    @Override
    public Optional<String> degraded() {
        return writes.degraded();
    }

    StoreSettings settings() {
        return settings;
    }

    /** A connection of the pool, for tests. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** How many rows of the fleet's other replicas have been read in full. */
    long followedInFull() {
        return fleet == null ? 0 : fleet.readInFull();
    }

    /** Records waiting to be written. */
    int queued() {
        return writes.queued();
    }

    @Override
    public void close() {
        FleetPolling polling = following;
        if (polling != null) {
            polling.close();
        }
        pruner.shutdownNow();
        writes.close();
        pool.close();
    }
}

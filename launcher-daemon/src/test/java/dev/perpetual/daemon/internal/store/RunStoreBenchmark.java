package dev.perpetual.daemon.internal.store;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.Overlap;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.records.Console;
import dev.perpetual.daemon.internal.records.DaemonMetrics;
import dev.perpetual.daemon.internal.records.Results;
import dev.perpetual.daemon.internal.records.RunBuckets;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.RunStore;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.testing.PostgresServer;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run store's figures, run on purpose (tagged {@code benchmark}):
 * <pre>
 * ./mvnw -B -o -Pbenchmarks verify -pl launcher-daemon -am -Dtest=RunStoreBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=NoSuchIT -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * <ul>
 * <li>{@link #recordedRunsPerSecondAndRunPathOverhead()}: records through {@link Results#record} (the run path:
 * metrics, memory, rollups, the store) into {@code memory}, SQLite and PostgreSQL, in one run: sustained written
 * runs/s (200,000 records, the producer held back only when 50,000 wait), then the cost of one {@code record} call
 * at 2,000 runs/s for 10 s (p50, p99);</li>
 * <li>{@link #runsPageWithAMillionStoredRuns()}: 1,000,000 runs stored (10 tests × 100,000), then
 * {@code GET /api/tests/{name}/runs?limit=100} and a page deep in the history, over HTTP from an in-process daemon
 * whose own probe runs every 50 ms meanwhile; and the database's size.</li>
 * </ul>
 */
@Tag("benchmark")
class RunStoreBenchmark {

    static {
        // What PerpetualDaemon.main sets before the JDK's HTTP server loads (off, a body waits ~40 ms for a
        // delayed ACK); this benchmark runs the daemon in its own JVM, alone in its fork.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @TempDir
    Path folder;

    private static final ScheduledTest TEST = new ScheduledTest("ProbeTestCase.probe",
            ProbeTestCase.class.getName(), "probe", "[engine:junit-jupiter]", Duration.ofMillis(50),
            Duration.ofSeconds(1), Overlap.SKIP, 0, Optional.empty(), null, null, List.of(), OptionalDouble.empty());

    @Test
    void recordedRunsPerSecondAndRunPathOverhead() throws Exception {
        System.out.printf("%n%-11s %14s %12s %12s%n", "store", "written/s", "record p50", "record p99");
        for (String kind : List.of("memory", "sqlite", "postgresql", "memory", "sqlite", "postgresql")) {
            RunStore store = open(kind, "bench-" + System.nanoTime());
            Results results = new Results(List.of(TEST), List.of(), 8L << 20, new DaemonMetrics(null, null, RunBuckets.DEFAULT),
                    new Console(Console.Format.TEXT, nowhere(), nowhere(), new ObjectMapper()), store);
            Instant base = Instant.now().minus(Duration.ofDays(1));
            int n = 200_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                results.record(record(TEST.name(), "t" + i, base.plusMillis(i)));
                while (queued(store) > 50_000) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
            while (queued(store) > 0) {
                LockSupport.parkNanos(1_000_000);
            }
            double perSecond = n / ((System.nanoTime() - start) / 1e9);

            long[] nanos = new long[20_000];
            long next = System.nanoTime();
            for (int i = 0; i < nanos.length; i++) {
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                long t0 = System.nanoTime();
                results.record(record(TEST.name(), "p" + i, base.plusSeconds(1000).plusMillis(i)));
                nanos[i] = System.nanoTime() - t0;
                next += 500_000;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "%-11s %14s %9.1f µs %9.1f µs%n", kind,
                    kind.equals("memory") ? "(nothing)" : String.format(Locale.ROOT, "%,.0f", perSecond),
                    nanos[nanos.length / 2] / 1e3, nanos[(int) (nanos.length * 0.99)] / 1e3);
            store.close();
        }
    }

    @Test
    void runsPageWithAMillionStoredRuns() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String kind : List.of("sqlite", "postgresql")) {
            String name = "million-" + System.nanoTime();
            JdbcStore store = (JdbcStore) open(kind, name);
            Instant base = Instant.now().minus(Duration.ofDays(2));
            long start = System.nanoTime();
            for (int i = 0; i < 100_000; i++) {
                for (int t = 0; t < 10; t++) {
                    store.add(record(t == 0 ? TEST.name() : "Filler.t" + t, "r" + i, base.plusMillis(i)));
                }
                while (store.queued() > 50_000) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
            while (store.queued() > 0) {
                LockSupport.parkNanos(1_000_000);
            }
            double fill = 1_000_000 / ((System.nanoTime() - start) / 1e9);
            long bytes = size(kind, store);
            String url = store.settings().url();
            store.close();

            try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.history.url=" + url,
                    "--config", "perpetual.history.user=" + PostgresServer.USER), ProbeTestCase.class)) {
                URI newest = URI.create(daemon.daemon.localUrl() + "/api/tests/ProbeTestCase.probe/runs?limit=100");
                URI deep = URI.create(newest + "&before=" + base.plusMillis(50_000));
                System.out.printf(Locale.ROOT, "%n%s: 1,000,000 runs stored at %,.0f runs/s, %.0f MiB (%.0f bytes "
                        + "a run)%n", kind, fill, bytes / 1048576.0, bytes / 1e6);
                for (URI uri : List.of(newest, deep)) {
                    long[] nanos = new long[2_000];
                    for (int i = -200; i < nanos.length; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(new String(response.body()));
                        }
                        if (i >= 0) {
                            nanos[i] = System.nanoTime() - t0;
                        }
                    }
                    Arrays.sort(nanos);
                    System.out.printf(Locale.ROOT, "  GET %s: p50 %.2f ms, p99 %.2f ms%n",
                            uri.getRawQuery().contains("before") ? "?limit=100&before=<middle>" : "?limit=100",
                            nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6);
                }
            }
        }
    }

    private RunStore open(String kind, String name) throws Exception {
        if (kind.equals("memory")) {
            return RunStore.MEMORY;
        }
        String url = postgres.url();
        if (kind.equals("sqlite")) {
            url = "jdbc:sqlite:" + folder.resolve(name + ".db");
        }
        else {
            postgres.dropTables();
        }
        return JdbcStore.open(new StoreSettings(url, PostgresServer.USER, null, 10_000_000, Duration.ofDays(30),
                Duration.ofDays(400)), "bench", new SimpleMeterRegistry(), System.out::println, 100_000);
    }

    private static int queued(RunStore store) {
        return store instanceof JdbcStore jdbc ? jdbc.queued() : 0;
    }

    private long size(String kind, JdbcStore store) throws Exception {
        if (kind.equals("sqlite")) {
            try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            try (Stream<Path> files = Files.list(folder)) {
                return files.filter(file -> file.getFileName().toString().startsWith("million-"))
                        .mapToLong(file -> file.toFile().length()).sum();
            }
        }
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet size = statement.executeQuery("SELECT pg_total_relation_size('perpetual_runs') + "
                        + "pg_total_relation_size('perpetual_rollups') + pg_total_relation_size('perpetual_latency')")) {
            size.next();
            return size.getLong(1);
        }
    }

    /** A passing run as a probe makes one: two log lines, a step, a webhook. */
    private static RunRecord record(String test, String runId, Instant start) {
        return new RunRecord(test, "com.acme.CheckoutE2E", runId, start, start, Duration.ofMillis(42), Outcome.PASS,
                1, null, null, List.of("placing order " + runId, "confirmed after 38ms"), 0,
                List.of(new RunReport.Step("place order", start, Duration.ofMillis(30), Outcome.PASS)),
                List.of(new RunReport.Webhook("orders", runId, 1, Optional.of(Duration.ofMillis(38)))), false, null,
                null, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    }

    private static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}

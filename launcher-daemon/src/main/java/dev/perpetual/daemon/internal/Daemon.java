package dev.perpetual.daemon.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.PerpetualDaemon;
import dev.perpetual.daemon.internal.http.HttpApi;
import dev.perpetual.daemon.internal.http.TestControls;
import dev.perpetual.daemon.internal.records.Console;
import dev.perpetual.daemon.internal.records.DaemonMetrics;
import dev.perpetual.daemon.internal.records.LibraryLog;
import dev.perpetual.daemon.internal.records.OtlpExport;
import dev.perpetual.daemon.internal.records.Results;
import dev.perpetual.daemon.internal.records.RunArtifacts;
import dev.perpetual.daemon.internal.records.RunHistory;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.RunStore;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.internal.records.TraceExport;
import dev.perpetual.daemon.internal.records.TraceLinks;
import dev.perpetual.daemon.internal.schedule.RunGate;
import dev.perpetual.daemon.internal.store.JdbcStore;
import dev.perpetual.daemon.internal.store.StoreSettings;
import dev.perpetual.daemon.internal.schedule.Scheduler;
import dev.perpetual.daemon.internal.workers.Workers;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.worker.internal.Secrets;
import org.apiguardian.api.API;

/**
 * A running supervisor: the workers, the metrics, the admin port and (in the long-running mode) the scheduler.
 * Started by {@link #start}; {@link #shutdown} stops it gracefully.
 */
@API(status = INTERNAL, since = "0.1")
public final class Daemon implements AutoCloseable {

    /** The worker's webhook port unless {@code perpetual.webhooks.port} says otherwise: {@value}. */
    static final String WEBHOOKS_PORT_DEFAULT = "9402";

    /**
     * What the daemon's workers default to where {@code mvn test} does otherwise: webhooks on their own fixed port.
     * (A worker serves it without a thread per connection, so slow senders cannot hold the receiver.)
     */
    public static final Map<String, String> WORKER_DEFAULTS = Map.of(
            dev.perpetual.Constants.WEBHOOKS_PORT, WEBHOOKS_PORT_DEFAULT);

    private final Catalog catalog;
    private final Console console;
    private final DaemonMetrics metrics;
    private final Results results;
    /** {@code perpetual.traces.otlp.url}: null when runs are not exported as traces. */
    private final TraceExport traces;
    private final Workers executor;
    private final HttpApi http;
    private final RunStore store;
    private final LibraryLog libraryLog;
    private volatile Scheduler scheduler;
    private volatile boolean closed;

    private Daemon(Workers workers, Catalog catalog, Console console, String bindAddress, int port,
            ObjectMapper json, String version) throws IOException {
        this.catalog = catalog;
        this.console = console;
        this.executor = workers;
        Secrets secrets = catalog.secrets();
        console.hide(secrets);
        this.libraryLog = LibraryLog.install(console);
        this.metrics = new DaemonMetrics(catalog.location(), OtlpExport.from(catalog::get).orElse(null),
                catalog.runBuckets(), secrets);
        this.traces = TraceExport.from(catalog::get, System::getenv, catalog.location()).orElse(null);
        this.store = JdbcStore.open(StoreSettings.of(catalog::get, new ArrayList<>()), catalog.location(),
                metrics.registry(), console::warn);
        this.results = new Results(catalog.scheduled(), catalog.disabled(),
                RunHistory.maxBytes(catalog::get, new java.util.ArrayList<>()), metrics, console, secrets,
                RunArtifacts.of(catalog::get), store, traces == null ? record -> { } : traces::export,
                catalog.location());
        workers.attach(metrics);
        try {
            this.http = HttpApi.start(bindAddress, port, metrics, results, workers, controls(),
                    catalog.get(dev.perpetual.Constants.ADMIN_TOKEN).orElse(null), this::isReady, this::isHealthy,
                    json, version, TraceLinks.from(catalog::get));
        }
        catch (IOException | RuntimeException e) {
            store.close();
            if (traces != null) {
                traces.close();
            }
            metrics.close();
            libraryLog.close();
            throw e;
        }
    }

    /** Serves the admin port; runs nothing yet. {@code workers} (already discovering) are the daemon's now. */
    public static Daemon start(Workers workers, Catalog catalog, Console console, String bindAddress, int port,
            ObjectMapper json, String version) throws IOException {
        return new Daemon(workers, catalog, console, bindAddress, port, json, version);
    }

    public int port() {
        return http.port();
    }

    public URI localUrl() {
        return URI.create("http://localhost:" + http.port());
    }

    public Results results() {
        return results;
    }

    DaemonMetrics metrics() {
        return metrics;
    }

    public void banner(String version, boolean once) {
        URI base = http.baseUrl();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("version", version);
        fields.put("port", http.port());
        fields.put("tests", catalog.scheduled().size());
        fields.put("disabled", catalog.disabled().size());
        fields.put("mode", once ? "once" : "forever");
        String disabled = catalog.disabled().isEmpty() ? "" : " (" + catalog.disabled().size() + " disabled)";
        String otlp = OtlpExport.from(catalog::get)
                .map(config -> String.format("%n  otlp      %s every %s", config.url(),
                        Durations.format(config.step())))
                .orElse("");
        if (traces != null) {
            otlp += String.format("%n  traces    %s", traces.endpoint());
        }
        console.event("start", fields, String.format("Perpetual daemon %s: %d tests%s, %s, on port %d%n"
                + "  status    %s/status%n  metrics   %s/metrics%n  api       %s/api/tests%n"
                + "  health    %s/healthz  %s/readyz%n  webhooks  %s (the worker's own port)%s", version,
                catalog.scheduled().size(), disabled, once ? "each run once" : "run forever", http.port(), base,
                base, base, base, base, webhooks(), otlp));
    }

    private String webhooks() {
        String port = catalog.get(dev.perpetual.Constants.WEBHOOKS_PORT).orElse(WEBHOOKS_PORT_DEFAULT);
        return "port " + port + ", /webhooks/{channel}";
    }

    /** What the admin port may do to the tests: the scheduler's, once it runs. */
    private TestControls controls() {
        return new TestControls() {
            @Override
            public Scheduler.Control runNow(String test, String runId) {
                Scheduler current = scheduler;
                return current == null ? Scheduler.Control.STOPPED : current.runNow(test, runId);
            }

            @Override
            public Scheduler.Control pause(String test, Instant until) {
                Scheduler current = scheduler;
                return current == null ? Scheduler.Control.STOPPED : current.pause(test, until);
            }

            @Override
            public Scheduler.Control resume(String test) {
                Scheduler current = scheduler;
                return current == null ? Scheduler.Control.STOPPED : current.resume(test);
            }

            @Override
            public Instant pausedUntil(String test) {
                Scheduler current = scheduler;
                return current == null ? null : current.pausedUntil(test);
            }
        };
    }

    /** Starts the scheduler: from now on, every test runs every period. */
    public void schedule() {
        RunGate gate = RunGate.of(catalog::get, console::warn);
        Scheduler started = new Scheduler(catalog.scheduled(), executor, metrics, results::record,
                catalog.maxConcurrentRuns(), gate, results.lastStarts());
        scheduler = started;
        started.start();
    }

    /** Whether the supervisor's schedule keeps moving (true before it starts and under {@code --once}). */
    boolean isHealthy() {
        Scheduler current = scheduler;
        return current == null || current.moving();
    }

    boolean isReady() {
        Scheduler current = scheduler;
        return !closed && current != null && current.isRunning();
    }

    /** {@link #runOnce(Duration)} with no grace for runs going when it is interrupted. */
    int runOnce() throws InterruptedException {
        return runOnce(Duration.ZERO);
    }

    /**
     * Runs every test once (retries included), at most {@code perpetual.daemon.max-concurrent-runs} at a time, prints
     * a summary and says the exit code: 0 when every test ran and none failed, errored or timed out.
     *
     * <p>Interrupting the calling thread (SIGTERM or SIGINT, through
     * {@link dev.perpetual.daemon.internal.cli.Signals}) stops it as a shutdown does: no test starts any more, the
     * runs going get {@code grace} to finish and are then recorded {@code aborted}, and the summary names the tests
     * that did not run; the exit code is then 0 only if every test had run and passed.
     */
    public int runOnce(Duration grace) throws InterruptedException {
        List<ScheduledTest> tests = catalog.scheduled();
        List<RunRecord> records = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(tests.size());
        Semaphore permits = new Semaphore(catalog.maxConcurrentRuns());
        int started = 0;
        boolean stopped = false;
        try {
            for (ScheduledTest test : tests) {
                permits.acquire();
                executor.start(test, null, record -> {
                    try {
                        results.record(record);
                        synchronized (records) {
                            records.add(record);
                        }
                    }
                    finally {
                        permits.release();
                        done.countDown();
                    }
                });
                started++;
            }
            done.await();
        }
        catch (InterruptedException e) {
            stopped = true;
            stopRuns(grace);
            // every started run has been recorded now, cut off or not
        }
        Thread.interrupted(); // a stop asked for after the last run ended
        List<RunRecord> recorded;
        synchronized (records) {
            recorded = List.copyOf(records);
        }
        List<String> notRun = tests.subList(started, tests.size()).stream().map(ScheduledTest::name).toList();
        return summary(recorded, notRun, stopped);
    }

    /** No run or retry starts any more; the runs going get {@code grace}, then are recorded {@code aborted}. */
    private void stopRuns(Duration grace) {
        executor.stopRetrying();
        int going = executor.running();
        if (going > 0) {
            console.info(String.format("Stopping: waiting up to %s for %d runs to finish", Durations.format(grace),
                    going));
        }
        try {
            if (!executor.awaitIdle(grace)) {
                executor.abortRunning(String.format("cut off by shutdown: still running after the grace period "
                        + "of %s", Durations.format(grace)));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.abortRunning("cut off by shutdown");
        }
    }

    private int summary(List<RunRecord> records, List<String> notRun, boolean stopped) {
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0);
        }
        records.forEach(record -> counts.merge(record.outcome(), 1, Integer::sum));
        int failed = counts.get(Outcome.FAIL) + counts.get(Outcome.ERROR) + counts.get(Outcome.TIMEOUT);
        boolean cutOff = stopped && (counts.get(Outcome.ABORTED) > 0 || !notRun.isEmpty());
        String verdict = failed > 0 ? failed + " failed" : cutOff ? "stopped before all had passed" : "all passed";
        StringBuilder text = new StringBuilder(String.format("%nPerpetual --once: %d tests, %s",
                records.size() + notRun.size(), verdict));
        List<String> parts = new ArrayList<>();
        counts.forEach((outcome, count) -> {
            if (count > 0) {
                parts.add(count + " " + outcome.label());
            }
        });
        if (!notRun.isEmpty()) {
            parts.add(notRun.size() + " not run");
        }
        text.append(" (").append(String.join(", ", parts)).append(')');
        if (stopped) {
            text.append(String.format("%nStopped by a signal%s", notRun.isEmpty() ? ""
                    : ": not run: " + String.join(", ", notRun)));
        }
        for (RunRecord record : records) {
            if (!record.outcome().succeeded()) {
                text.append(String.format("%n  %-7s %s  %s", record.outcome().name(), record.test(),
                        record.oneLineMessage()));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tests", records.size() + notRun.size());
        counts.forEach((outcome, count) -> fields.put(outcome.label(), count));
        fields.put("not_run", notRun.size());
        fields.put("stopped", stopped);
        console.event("summary", fields, text.toString());
        return failed == 0 && !cutOff ? PerpetualDaemon.EXIT_OK : PerpetualDaemon.EXIT_TESTS_FAILED;
    }

    /**
     * Stops scheduling, lets the runs going finish within {@code grace} (recorded normally), records the rest as
     * {@code aborted}, and closes the session, its resources and the port.
     */
    public void shutdown(Duration grace) {
        if (closed) {
            return;
        }
        Scheduler current = scheduler;
        if (current != null) {
            current.stop();
        }
        stopRuns(grace);
        close();
        console.info("Stopped");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Scheduler current = scheduler;
        if (current != null) {
            current.stop();
        }
        executor.close();
        http.close();
        if (traces != null) {
            traces.close();
        }
        store.close(); // after the workers: the runs they cut off are recorded
        metrics.close();
        libraryLog.close();
    }
}

package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.perpetual.worker.internal.Secrets;
import org.apiguardian.api.API;

/**
 * Where every run's one record goes: its test's history, the hourly rollups, the run store, the metrics and the
 * console. What {@code /metrics}, {@code /api/tests} and {@code /status} read; nothing else is a source of truth.
 * Every record is scrubbed of the configuration's secrets here, before anything else sees it, and so are its browser
 * artifacts written as text.
 *
 * <p>With a durable {@link RunStore}, the histories and rollups are filled from it at start (so a restart shows the
 * earlier runs), and the runs of {@code /api/tests/{name}/runs} come from it; while it cannot be read, from memory.
 */
@API(status = INTERNAL, since = "0.1")
public final class Results {

    private final Map<String, ScheduledTest> tests = new LinkedHashMap<>();
    private final Map<String, RunHistory> histories = new LinkedHashMap<>();
    private final List<ScheduledTest> disabled;
    private final DaemonMetrics metrics;
    private final Console console;
    private final RunStore store;
    private final Rollups rollups = new Rollups();
    private final Secrets secrets;
    private final RunArtifacts artifacts;
    private final Consumer<RunRecord> traces;
    private final String location;

    public Results(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, long historyBytes,
            DaemonMetrics metrics, Console console) {
        this(scheduled, disabled, historyBytes, metrics, console, RunStore.MEMORY);
    }

    public Results(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, long historyBytes,
            DaemonMetrics metrics, Console console, RunStore store) {
        this(scheduled, disabled, historyBytes, metrics, console, Secrets.none(),
                RunArtifacts.of(key -> Optional.empty()), store, record -> { }, null);
    }

    /**
     * {@code traces}: where each record goes as a trace ({@link TraceExport#export}), besides the rest;
     * {@code location}: this daemon's {@code perpetual.location}, marked on each of its runs (or null). With a
     * shared store, the runs the fleet's other replicas record are shown here too.
     */
    public Results(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, long historyBytes,
            DaemonMetrics metrics, Console console, Secrets secrets, RunArtifacts artifacts, RunStore store,
            Consumer<RunRecord> traces, String location) {
        this.store = store;
        this.traces = traces;
        this.location = location;
        for (ScheduledTest test : scheduled) {
            tests.put(test.name(), test);
            histories.put(test.name(), new RunHistory(historyBytes));
            metrics.register(test);
            metrics.describe(test);
        }
        this.disabled = List.copyOf(disabled);
        this.metrics = metrics;
        this.console = console;
        this.secrets = secrets;
        this.artifacts = artifacts;
        if (store.durable()) {
            restore();
            store.follow(this::fromFleet);
        }
    }

    /** The kept runs and rollups, back in memory. */
    private void restore() {
        try {
            for (Map.Entry<String, RunHistory> history : histories.entrySet()) {
                List<RunRecord> newestFirst = store.runs(history.getKey(),
                        new RunQuery(RunHistory.CAPACITY, null, null));
                for (int i = newestFirst.size() - 1; i >= 0; i--) {
                    history.getValue().restore(newestFirst.get(i));
                }
            }
            store.restore(rollups, Instant.now().minus(Duration.ofDays(Rollups.KEPT_DAYS)));
        }
        catch (RuntimeException e) {
            console.warn("The run store could not be read at start, so earlier runs are not shown: " + e);
        }
    }

    public void record(RunRecord reported) {
        RunRecord record = ScrubbedRecords.of(location == null || reported.location() != null ? reported
                : reported.at(location), secrets);
        artifacts.scrub(record, secrets);
        metrics.recorded(record);
        RunHistory history = histories.get(record.test());
        if (history != null) {
            history.add(record);
            rollups.add(record);
            store.add(record);
        }
        console.run(record);
        traces.accept(record);
    }

    /**
     * A run another replica of the fleet recorded in the shared store: shown with this daemon's own, in start order,
     * and counted in the uptime; not in this daemon's metrics (each replica exports its own runs), and not again in
     * the store.
     */
    void fromFleet(RunRecord record) {
        RunHistory history = histories.get(record.test());
        if (history != null && history.merge(record)) {
            rollups.add(record);
        }
    }

    /** This daemon's {@code perpetual.location}, or null. */
    public String location() {
        return location;
    }

    /** The scheduled tests, in discovery order. */
    public List<ScheduledTest> scheduled() {
        return List.copyOf(tests.values());
    }

    /** The runs' browser artifacts. */
    public RunArtifacts artifacts() {
        return artifacts;
    }

    /** The configuration's secrets, which no output shows. */
    public Secrets secrets() {
        return secrets;
    }

    public List<ScheduledTest> disabled() {
        return disabled;
    }

    /** The history of the scheduled test {@code name}, or null. */
    public RunHistory history(String name) {
        return histories.get(name);
    }

    /**
     * The runs of the scheduled test {@code name} that {@code query} selects, newest first: from the store when it
     * is durable and can be read, else from its history in memory.
     */
    public List<RunRecord> runs(String name, RunQuery query) {
        if (store.durable()) {
            try {
                return store.runs(name, query);
            }
            catch (RuntimeException e) {
                // unreachable: what memory holds
            }
        }
        return histories.get(name).newestFirst().stream().filter(query::selects).limit(query.limit()).toList();
    }

    /** The run {@code runId} of {@code name}: in memory, else in the store; or null. */
    public RunRecord find(String name, String runId) {
        RunHistory history = histories.get(name);
        RunRecord record = history == null ? null : history.find(runId);
        if (record == null && history != null && store.durable()) {
            try {
                record = store.find(name, runId).orElse(null);
            }
            catch (RuntimeException e) {
                return null;
            }
        }
        return record;
    }

    /** Uptime and the p50 trend of {@code name} at {@code now}. */
    public Views.Uptime uptime(String name, Instant now) {
        return rollups.uptime(name, now);
    }

    /** The start of each test's last kept run (empty without a durable store). */
    public Map<String, Instant> lastStarts() {
        try {
            return store.lastStarts();
        }
        catch (RuntimeException e) {
            console.warn("The run store could not be read, so the schedule starts afresh: " + e);
            return Map.of();
        }
    }

    /** What is wrong with the run store, or empty. */
    public Optional<String> storeDegraded() {
        return store.degraded();
    }
}

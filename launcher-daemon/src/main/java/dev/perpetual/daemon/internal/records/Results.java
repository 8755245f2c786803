package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.perpetual.worker.internal.Secrets;
import org.apiguardian.api.API;

/**
 * Where every run's one record goes: its test's history, the metrics and the console. What {@code /metrics},
 * {@code /api/tests} and {@code /status} read; nothing else is a source of truth. Every record is scrubbed of the
 * configuration's secrets here, before anything else sees it, and so are its browser artifacts written as text.
 */
@API(status = INTERNAL, since = "0.1")
public final class Results {

    private final Map<String, ScheduledTest> tests = new LinkedHashMap<>();
    private final Map<String, RunHistory> histories = new LinkedHashMap<>();
    private final List<ScheduledTest> disabled;
    private final DaemonMetrics metrics;
    private final Console console;
    private final Secrets secrets;
    private final RunArtifacts artifacts;

    public Results(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, long historyBytes,
            DaemonMetrics metrics, Console console, Secrets secrets, RunArtifacts artifacts) {
        for (ScheduledTest test : scheduled) {
            tests.put(test.name(), test);
            histories.put(test.name(), new RunHistory(historyBytes));
            metrics.register(test);
        }
        this.disabled = List.copyOf(disabled);
        this.metrics = metrics;
        this.console = console;
        this.secrets = secrets;
        this.artifacts = artifacts;
    }

    public void record(RunRecord reported) {
        RunRecord record = ScrubbedRecords.of(reported, secrets);
        artifacts.scrub(record, secrets);
        metrics.recorded(record);
        RunHistory history = histories.get(record.test());
        if (history != null) {
            history.add(record);
        }
        console.run(record);
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
}

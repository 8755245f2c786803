package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apiguardian.api.API;

/**
 * Where every run's one record goes: its test's history, the metrics and the console. What {@code /metrics},
 * {@code /api/tests} and {@code /status} read; nothing else is a source of truth.
 */
@API(status = INTERNAL, since = "0.1")
public final class Results {

    private final Map<String, ScheduledTest> tests = new LinkedHashMap<>();
    private final Map<String, RunHistory> histories = new LinkedHashMap<>();
    private final List<ScheduledTest> disabled;
    private final DaemonMetrics metrics;
    private final Console console;
    private final Consumer<RunRecord> traces;

    public Results(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, long historyBytes,
            DaemonMetrics metrics, Console console) {
        this(scheduled, disabled, historyBytes, metrics, console, record -> { });
    }

    /** {@code traces}: where each record goes as a trace ({@link TraceExport#export}), besides the rest. */
    public Results(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, long historyBytes,
            DaemonMetrics metrics, Console console, Consumer<RunRecord> traces) {
        this.traces = traces;
        for (ScheduledTest test : scheduled) {
            tests.put(test.name(), test);
            histories.put(test.name(), new RunHistory(historyBytes));
            metrics.register(test);
        }
        this.disabled = List.copyOf(disabled);
        this.metrics = metrics;
        this.console = console;
    }

    public void record(RunRecord record) {
        metrics.recorded(record);
        RunHistory history = histories.get(record.test());
        if (history != null) {
            history.add(record);
        }
        console.run(record);
        traces.accept(record);
    }

    /** The scheduled tests, in discovery order. */
    public List<ScheduledTest> scheduled() {
        return List.copyOf(tests.values());
    }

    public List<ScheduledTest> disabled() {
        return disabled;
    }

    /** The history of the scheduled test {@code name}, or null. */
    public RunHistory history(String name) {
        return histories.get(name);
    }
}

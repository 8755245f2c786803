package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.perpetual.spi.Durations;
import dev.perpetual.spi.RunReport;
import dev.perpetual.worker.internal.Failures;
import org.apiguardian.api.API;

/** The JSON shapes of {@code /api/tests} and {@code /api/tests/{name}/runs}. Times are ISO-8601, durations ms. */
@API(status = INTERNAL, since = "0.1")
public final class Views {

    private Views() {
    }

    /**
     * {@code /api/tests}: the tests of this page ({@code ?q=} a search, {@code ?offset=}, {@code ?limit=}), how many
     * the daemon has ({@code total}) and how many match the search ({@code matching}).
     */
    public record Tests(List<TestView> tests, int total, int matching, int offset, int limit) {
    }

    public record TestView(String name, String testClass, String method, String uniqueId, boolean enabled,
            String period, String timeout, String overlap, int retries, String periodWhileFailing, long runs,
            String lastOutcome, String lastRunStart, Double lastDurationMs, Boolean lastSuccess, Double p50DurationMs,
            Double p99DurationMs, FailureView lastFailure, boolean quarantined, boolean paused,
            String pausedUntil, String displayName, Uptime uptime) {
    }

    /**
     * Availability over the last 24 hours, 7 days and 30 days (by the hour), and the p50 duration of each of the last
     * 24 hours that had runs, oldest first.
     */
    public record Uptime(Window day, Window week, Window month, List<HourP50> p50ByHour) {
    }

    /**
     * @param runs         the runs that were not {@code aborted}
     * @param passes       those that passed ({@code flaky} ones included)
     * @param flaky        those that passed on a retry
     * @param availability passes ÷ runs, or null without runs
     */
    public record Window(long runs, long passes, long flaky, Double availability) {
    }

    /** The p50 duration of the runs that started in the hour from {@code hour}, from the hourly rollup. */
    public record HourP50(String hour, double p50Ms) {
    }

    /** {@code /api/workers}: where webhooks are received, and each worker JVM. */
    public record WorkersView(String webhooks, List<WorkerView> workers) {
    }

    /**
     * One worker JVM: {@code state} is {@code starting}, {@code up} or {@code retiring}; {@code test} the one
     * quarantined test it runs alone, or null for the shared worker.
     */
    public record WorkerView(int number, Long pid, String state, String test, long runs, int held, int stuckThreads,
            Long heapAfterGcMiB, Long heapMaxMiB, Long openFiles, Long maxFiles) {
    }

    /** The last run that ended in fail, error or timeout; its message on one line, cut to 300 characters. */
    public record FailureView(String runId, String outcome, String start, String message, String traceId,
            String traceUrl, String location) {
    }

    /** A page of runs, newest first; {@code next} is the path of the next page, or null on the last one. */
    public record Runs(String test, List<RunView> runs, String next) {
    }

    /** One run; {@code location}: the {@code perpetual.location} of the replica that ran it, or null. */
    public record RunView(String runId, String outcome, String planned, String start, double durationMs, int attempts,
            String message, String stack, List<String> logLines, int droppedLogLines, List<StepView> steps,
            List<WebhookView> webhooks, boolean threadStuck, String output, String artifacts, String traceId,
            String traceUrl, String location) {
    }

    public record StepView(String name, String start, double durationMs, String outcome) {
    }

    public record WebhookView(String channel, String key, int deliveries, Double latencyMs) {
    }

    public record Problem(String error) {
    }

    /**
     * The answer to {@code POST /api/tests/{name}/run|pause|resume}: the run id of a run started, and whether the
     * test's schedule is paused, until when ({@code null} while paused: until resumed).
     */
    public record Control(String test, String runId, boolean paused, String pausedUntil) {
    }

    /** {@code pausedUntil}: until when its schedule is paused ({@link Instant#MAX}: until resumed), or null. */
    public static TestView test(ScheduledTest test, RunHistory history, boolean quarantined, Instant pausedUntil) {
        return test(test, history, quarantined, pausedUntil, null, TraceLinks.NONE);
    }

    /**
     * As {@link #test(ScheduledTest, RunHistory, boolean, Instant)}, with its {@code uptime} (or null) and
     * {@code links}: where its last failure's trace is shown.
     */
    public static TestView test(ScheduledTest test, RunHistory history, boolean quarantined, Instant pausedUntil,
            Uptime uptime, TraceLinks links) {
        RunRecord last = history == null ? null : history.last();
        RunRecord decisive = history == null ? null : history.lastDecisive();
        RunRecord failure = history == null ? null : history.lastFailure();
        List<Duration> durations = history == null ? List.of() : durations(history.newestFirst());
        return new TestView(test.name(), test.className(), test.methodName(), test.uniqueId(),
                test.enabled(), Durations.format(test.period()), Durations.format(test.timeout()),
                test.overlap().name().toLowerCase(java.util.Locale.ROOT), test.retries(),
                test.periodWhileFailing().map(Durations::format).orElse(null),
                history == null ? 0 : history.runs(), last == null ? null : last.outcome().label(),
                last == null ? null : last.start().toString(), last == null ? null : millis(last.duration()),
                decisive == null ? null : decisive.outcome().succeeded(), percentile(durations, 0.50),
                percentile(durations, 0.99), failure == null ? null : failure(failure, links), quarantined,
                pausedUntil != null, pausedUntil == null || pausedUntil.equals(Instant.MAX) ? null
                        : pausedUntil.toString(), test.displayName(), uptime);
    }

    static FailureView failure(RunRecord record, TraceLinks links) {
        return new FailureView(record.runId(), record.outcome().label(), record.start().toString(),
                record.message() == null ? null : Failures.oneLine(record.message(), 300), record.traceId(),
                links.url(record.traceId()), record.location());
    }

    /** The durations of the runs that were not aborted, sorted. */
    static List<Duration> durations(List<RunRecord> records) {
        return records.stream().filter(record -> record.outcome() != dev.perpetual.spi.Outcome.ABORTED)
                .map(RunRecord::duration).sorted().toList();
    }

    /** The nearest-rank percentile {@code q} of sorted {@code durations}, in ms, or null when there are none. */
    static Double percentile(List<Duration> durations, double q) {
        if (durations.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(q * durations.size());
        return millis(durations.get(Math.max(0, rank - 1)));
    }

    /** {@code links}: where its trace is shown. */
    public static RunView run(RunRecord record, TraceLinks links) {
        return new RunView(record.runId(), record.outcome().label(), text(record.planned()),
                record.start().toString(), millis(record.duration()), record.attempts(), record.message(),
                record.stack(), record.logLines(), record.droppedLogLines(),
                record.steps().stream().map(Views::step).toList(),
                record.webhooks().stream().map(Views::webhook).toList(), record.threadStuck(), record.output(),
                record.artifacts(), record.traceId(), links.url(record.traceId()), record.location());
    }

    private static StepView step(RunReport.Step step) {
        return new StepView(step.name(), step.start().toString(), millis(step.duration()), step.outcome().label());
    }

    private static WebhookView webhook(RunReport.Webhook webhook) {
        return new WebhookView(webhook.channel(), webhook.key(), webhook.deliveries(),
                webhook.latency().map(Views::millis).orElse(null));
    }

    public static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

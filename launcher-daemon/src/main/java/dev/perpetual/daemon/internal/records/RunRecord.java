package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import dev.perpetual.worker.internal.Failures;
import org.apiguardian.api.API;

/**
 * The one result of one run, whatever happened: what {@code /metrics}, {@code /api/tests} and {@code /status} are
 * made from.
 *
 * @param test            the test's name
 * @param testClass       the test class's fully qualified name
 * @param runId           the run's id ({@code O.runId()}), or one the daemon made when the test never started
 * @param planned         when the scheduler meant to start it (null under {@code --once})
 * @param start           when it started
 * @param duration        how long it took, retries included
 * @param outcome         how it ended
 * @param attempts        1, plus the retries it took
 * @param message         the failure's message, truncated, or null
 * @param stack           the failure's stack (for a timeout, the test thread's), truncated, or null
 * @param logLines        the {@code O.log} lines of the last attempt
 * @param droppedLogLines lines logged past {@code perpetual.log.max-lines}
 * @param steps           the steps of the last attempt
 * @param webhooks        the webhook expectations of the last attempt
 * @param threadStuck     whether a thread of this run was abandoned and has not returned yet
 * @param output          what the run printed to {@code System.out} and {@code System.err}, bounded, or null
 * @param artifacts       the folder of the run's browser artifacts (screenshot, DOM, console), or null
 * @param traceId         the run's W3C trace id ({@code O.trace().traceId()}), or null when the test never started
 * @param spanId          the run's root span id, or null
 * @param location        the {@code perpetual.location} of the daemon that ran it, or null when it has none
 */
@API(status = INTERNAL, since = "0.1")
public record RunRecord(String test, String testClass, String runId, Instant planned, Instant start, Duration duration,
        Outcome outcome, int attempts, String message, String stack, List<String> logLines, int droppedLogLines,
        List<RunReport.Step> steps, List<RunReport.Webhook> webhooks, boolean threadStuck, String output,
        String artifacts, String traceId, String spanId, String location) {

    /** A record of no known location: {@link Results} marks it with its daemon's. */
    public RunRecord(String test, String testClass, String runId, Instant planned, Instant start, Duration duration,
            Outcome outcome, int attempts, String message, String stack, List<String> logLines, int droppedLogLines,
            List<RunReport.Step> steps, List<RunReport.Webhook> webhooks, boolean threadStuck, String output,
            String artifacts, String traceId, String spanId) {
        this(test, testClass, runId, planned, start, duration, outcome, attempts, message, stack, logLines,
                droppedLogLines, steps, webhooks, threadStuck, output, artifacts, traceId, spanId, null);
    }

    /** A record without a trace (a run the test never started). */
    public RunRecord(String test, String testClass, String runId, Instant planned, Instant start, Duration duration,
            Outcome outcome, int attempts, String message, String stack, List<String> logLines, int droppedLogLines,
            List<RunReport.Step> steps, List<RunReport.Webhook> webhooks, boolean threadStuck, String output,
            String artifacts) {
        this(test, testClass, runId, planned, start, duration, outcome, attempts, message, stack, logLines,
                droppedLogLines, steps, webhooks, threadStuck, output, artifacts, null, null);
    }

    /** This record, marked as run by the daemon at {@code location}. */
    public RunRecord at(String location) {
        return new RunRecord(test, testClass, runId, planned, start, duration, outcome, attempts, message, stack,
                logLines, droppedLogLines, steps, webhooks, threadStuck, output, artifacts, traceId, spanId, location);
    }

    /** The most a one-line message has, on the console, in the summary and the JSON log. */
    public static final int ONE_LINE_MAX = 500;

    /** The message on one line, cut to {@link #ONE_LINE_MAX} ({@link Failures#oneLine}); empty for none. */
    public String oneLineMessage() {
        return Failures.oneLine(message, ONE_LINE_MAX);
    }
}

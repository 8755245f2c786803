package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.perpetual.RunTrace;
import org.apiguardian.api.API;

/**
 * What one run of a perpetual test produced, handed to {@link PerpetualHost#runFinished} when the run ends.
 *
 * @param uniqueId    the JUnit unique id of the test, to correlate with {@code TestExecutionListener} events
 * @param test        the test's stable name
 * @param testClass   the test class's fully qualified name
 * @param runId       the run's id, as {@code O.runId()} returned it
 * @param start       when the run started
 * @param duration    how long it took, cleanups included
 * @param timeout     the timeout that applied
 * @param outcome     how it ended
 * @param failure     the failure, if any
 * @param logLines    the lines logged through {@code O.log}, in order; past {@code perpetual.log.max-lines} or
 *                    {@code perpetual.log.max-bytes}, the first and the latest, with one line
 *                    {@code … N lines (size) left out …} between them
 * @param droppedLogLines lines logged through {@code O.log} but not kept, counted
 * @param steps       the steps, in the order they ended
 * @param webhooks    one entry per expectation registered during the run
 * @param testThreadStuck whether the test's thread was still running when the run was recorded (after a timeout)
 * @param trace       the run's trace context, as {@code O.trace()} returned it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RunReport(String uniqueId, String test, String testClass, String runId, Instant start,
        Duration duration, Duration timeout, Outcome outcome, Optional<Throwable> failure, List<String> logLines,
        int droppedLogLines, List<Step> steps, List<Webhook> webhooks, boolean testThreadStuck,
        RunTrace trace) {

    public RunReport {
        logLines = List.copyOf(logLines);
        steps = List.copyOf(steps);
        webhooks = List.copyOf(webhooks);
    }

    /** The failure's message, or empty. */
    public Optional<String> message() {
        return failure.map(f -> f.getMessage() == null ? f.getClass().getName() : f.getMessage());
    }

    /**
     * One timed step.
     *
     * @param name     the step's name (nested steps are joined with {@code " > "})
     * @param start    when it started
     * @param duration how long it took
     * @param outcome  {@link Outcome#PASS}, {@link Outcome#FAIL} or {@link Outcome#ERROR}
     * @param spanId   the step's span id, a child of {@code parentSpanId} in the run's trace
     * @param parentSpanId the span of the step it is nested in, else the run's root span
     */
    public record Step(String name, Instant start, Duration duration, Outcome outcome, String spanId,
            String parentSpanId) {

        /** A step whose spans are not known (null), such as one read back from an older record. */
        public Step(String name, Instant start, Duration duration, Outcome outcome) {
            this(name, start, duration, outcome, null, null);
        }
    }

    /**
     * One webhook expectation and what arrived for it.
     *
     * @param channel    the channel
     * @param key        the correlation key
     * @param deliveries how many deliveries arrived for the key during the run (duplicates included)
     * @param latency    expect → first delivery, if one arrived
     */
    public record Webhook(String channel, String key, int deliveries, Optional<Duration> latency) {
    }
}

package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.perpetual.spi.Outcome;
import org.apiguardian.api.API;

/**
 * Everything the supervisor and a worker say to each other: the one channel between them. Times are epoch
 * microseconds ({@code …Micros}) or nanosecond durations ({@code …Nanos}); a message is one JSON object.
 */
@API(status = INTERNAL, since = "0.1")
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "m")
@JsonSubTypes({ @JsonSubTypes.Type(value = Message.Init.class, name = "init"),
        @JsonSubTypes.Type(value = Message.Run.class, name = "run"),
        @JsonSubTypes.Type(value = Message.Abort.class, name = "abort"),
        @JsonSubTypes.Type(value = Message.StopRetrying.class, name = "stop-retrying"),
        @JsonSubTypes.Type(value = Message.Stop.class, name = "stop"),
        @JsonSubTypes.Type(value = Message.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = Message.Catalog.class, name = "catalog"),
        @JsonSubTypes.Type(value = Message.WebhooksServed.class, name = "webhooks"),
        @JsonSubTypes.Type(value = Message.Recorded.class, name = "recorded"),
        @JsonSubTypes.Type(value = Message.Stuck.class, name = "stuck"),
        @JsonSubTypes.Type(value = Message.Health.class, name = "health"),
        @JsonSubTypes.Type(value = Message.Exiting.class, name = "exiting"),
        @JsonSubTypes.Type(value = Message.Expect.class, name = "expect"),
        @JsonSubTypes.Type(value = Message.Unexpect.class, name = "unexpect"),
        @JsonSubTypes.Type(value = Message.Route.class, name = "route"),
        @JsonSubTypes.Type(value = Message.Expected.class, name = "expected"),
        @JsonSubTypes.Type(value = Message.Routed.class, name = "routed"),
        @JsonSubTypes.Type(value = Message.Deliver.class, name = "deliver") })
public sealed interface Message {

    // ---- supervisor → worker ----

    /**
     * The first message a worker gets: what to select, the configuration, and whether this worker discovers (and
     * answers with a {@link Catalog}) or only runs.
     *
     * @param selection   the command line's selection
     * @param discover    whether to discover and validate the selected tests
     * @param defaults    configuration values that apply unless the user's configuration sets the key
     * @param sharedWebhooks whether other workers share the webhook port: deliveries are routed through the
     *                    supervisor ({@link Expect}, {@link Route}) and the port is bound with {@code SO_REUSEPORT}
     */
    record Init(Selection selection, boolean discover, Map<String, String> defaults, boolean sharedWebhooks)
            implements Message {
    }

    /** The Console Launcher's selection language, as given to the daemon. */
    record Selection(boolean scanClassPath, List<String> scanRoots, List<String> packages, List<String> classes,
            List<String> methods, List<String> tests, List<String> includeTags, List<String> excludeTags,
            Map<String, String> config, List<String> configResources) {

        public boolean selectsSomething() {
            return scanClassPath || !packages.isEmpty() || !classes.isEmpty() || !methods.isEmpty()
                    || !tests.isEmpty();
        }

        /** Only {@code --select-test}: the class path is scanned, and the names keep their tests. */
        public boolean onlyTests() {
            return !scanClassPath && packages.isEmpty() && classes.isEmpty() && methods.isEmpty() && !tests.isEmpty();
        }
    }

    /**
     * Run the test {@code uniqueId} once (its retries included); answered by one {@link Recorded} with {@code id}.
     * {@code runId}: the run's id when the supervisor chose it (a run started on request), else null.
     */
    record Run(long id, String uniqueId, String test, String testClass, long timeoutNanos, int retries,
            String runId) implements Message {
    }

    /** Record run {@code id} as aborted now, with {@code why}, and interrupt its thread. */
    record Abort(long id, String why) implements Message {
    }

    /** No retry starts after this; runs going on finish normally. */
    record StopRetrying() implements Message {
    }

    /** Close the launcher session (its resources) and exit. */
    record Stop() implements Message {
    }

    /** The answer to {@link Expect} {@code id}: {@code refusal} is null when the key is now this worker's. */
    record Expected(long id, String refusal) implements Message {
    }

    /** The answer to {@link Route} {@code id}: the HTTP status for the delivery's sender. */
    record Routed(long id, int status) implements Message {
    }

    /**
     * A delivery another worker received for a run of this one, or one of this worker's own coming back unmatched
     * when nobody expected its key in time.
     */
    record Deliver(String channel, String key, byte[] body, Map<String, List<String>> headers, long receivedMicros)
            implements Message {
    }

    // ---- worker → supervisor ----

    /** Run {@code runId} of this worker expects {@code key} on {@code channel}; answered by {@link Expected}. */
    record Expect(long id, String channel, String key, String runId) implements Message {
    }

    /** Run {@code runId} no longer expects {@code key}. */
    record Unexpect(String channel, String key, String runId) implements Message {
    }

    /** A delivery no run of this worker expects, for the worker whose run does; answered by {@link Routed}. */
    record Route(long id, Deliver delivery) implements Message {
    }

    /**
     * A worker is up.
     *
     * @param pid      its process id
     * @param junit    the JUnit Platform version it runs on
     * @param maxHeap  its heap's maximum size, in bytes
     */
    record Hello(long pid, String junit, long maxHeap) implements Message {
    }

    /**
     * What discovery found, with every problem, and the configuration in effect (the {@code --config} values, the
     * {@code --config-resource} files and {@code junit-platform.properties} of the user's class path).
     */
    record Catalog(List<TestSpec> tests, List<String> notPerpetual, List<String> problems, List<String> nothing,
            Map<String, String> config) implements Message {
    }

    /**
     * A discovered {@code @Perpetual} test and its settings after configuration overrides.
     *
     * @param disabledReason why it is not scheduled ({@code @Disabled: …} or the key), or null when it is
     * @param periodWhileFailingNanos the period while failing, or 0 for none
     * @param displayName its {@code @DisplayName}, or null
     * @param dependsOn the Perpetual names of the tests it depends on (none: empty, or null from an older worker)
     * @param objective the share of runs that must pass, in (0, 1), or 0 for none
     */
    record TestSpec(String name, String className, String methodName, String uniqueId, long periodNanos,
            long timeoutNanos, String overlap, int retries, long periodWhileFailingNanos, String disabledReason,
            String displayName, List<String> dependsOn, double objective) {
    }

    /** The worker's webhook receiver is serving at {@code baseUrl}. */
    record WebhooksServed(String baseUrl) implements Message {
    }

    /** Run {@code id} ended: its one record. */
    record Recorded(long id, RunData run) implements Message {
    }

    /**
     * One run's result.
     *
     * @param startMicros   when it started, epoch microseconds
     * @param waitedNanos   from the worker's receipt of the run to its start
     * @param output        what the run printed to System.out and System.err, bounded
     */
    record RunData(String runId, long startMicros, long waitedNanos, long durationNanos, Outcome outcome,
            int attempts, String message, String stack, List<String> logLines, int droppedLogLines,
            List<StepData> steps, List<WebhookData> webhooks, boolean threadStuck, String output, String artifacts,
            String traceId, String spanId) {
    }

    /** One step of a run. */
    record StepData(String name, long startMicros, long durationNanos, Outcome outcome, String spanId,
            String parentSpanId) {
    }

    /** One webhook expectation of a run; {@code latencyNanos} is -1 when nothing arrived. */
    record WebhookData(String channel, String key, int deliveries, long latencyNanos) {
    }

    /**
     * A test's thread passed its deadline and did not return ({@code alive}), or returned at last.
     *
     * @param thread      the thread's id in the worker
     * @param sinceMicros when it was abandoned
     */
    record Stuck(String test, long thread, String threadName, boolean alive, long sinceMicros) implements Message {
    }

    /**
     * How the worker is doing, sent every second.
     *
     * @param heapAfterGc heap used after the last collection, in bytes (-1 before the first)
     * @param openFiles   its open file descriptors, or -1 where unknown
     * @param maxFiles    how many it may open, or -1 where unknown
     * @param meters      every meter the tests registered, cumulative since the worker started
     */
    record Health(long heapAfterGc, long heapMax, long openFiles, long maxFiles, int threads,
            List<MeterData> meters)
            implements Message {
    }

    /**
     * One meter's cumulative state. {@code type} is {@code counter}, {@code gauge}, {@code timer} or
     * {@code summary}; timers are in seconds; {@code bounds} and {@code buckets} are the histogram's upper bounds and
     * cumulative counts, when it has any.
     */
    record MeterData(String name, String type, Map<String, String> tags, String description, String baseUnit,
            double count, double total, double max, double value, double[] bounds, double[] buckets) {
    }

    /**
     * The worker is exiting through {@code System.exit}: {@code how} says who called it, when that is known, and
     * {@code test} whose run the calling thread carried (null when none, or unknown).
     */
    record Exiting(String how, String test) implements Message {
    }
}

package dev.perpetual.internal.trace;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;

import dev.perpetual.RunTrace;
import org.apiguardian.api.API;

/** A run's trace context, made once when the run starts. Immutable. */
@API(status = INTERNAL, since = "0.1")
public final class W3cRunTrace implements RunTrace {

    private final String traceId;
    private final String spanId;
    private final String tenancy;
    private final String test;
    private final String runId;
    private final String traceparent;
    private final String tracestate;
    private final String baggage;
    private final Map<String, String> headers;

    private W3cRunTrace(String traceId, String spanId, String tenancy, String test, String runId) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.tenancy = tenancy;
        this.test = test;
        this.runId = runId;
        this.traceparent = "00-" + traceId + "-" + spanId + "-01";
        this.tracestate = "perpetual=" + tenancy;
        this.baggage = TENANCY_ENTRY + "=" + tenancy + "," + TEST_ENTRY + "=" + BaggageValues.encode(test) + ","
                + RUN_ENTRY + "=" + BaggageValues.encode(runId);
        this.headers = Map.of(TRACEPARENT, traceparent, TRACESTATE, tracestate, BAGGAGE, baggage);
    }

    /** A fresh trace for run {@code runId} of {@code test}; {@code tenancy} as {@link Tenancy#from} read it. */
    public static W3cRunTrace start(String tenancy, String test, String runId) {
        return new W3cRunTrace(TraceIds.traceId(), TraceIds.spanId(), tenancy, test, runId);
    }

    @Override
    public String traceId() {
        return traceId;
    }

    @Override
    public String spanId() {
        return spanId;
    }

    @Override
    public String traceparent() {
        return traceparent;
    }

    @Override
    public String tracestate() {
        return tracestate;
    }

    @Override
    public String baggage() {
        return baggage;
    }

    @Override
    public String tenancy() {
        return tenancy;
    }

    /** The test's stable name, as its baggage carries it (not encoded). */
    String test() {
        return test;
    }

    /** The run id, as its baggage carries it (not encoded). */
    String runId() {
        return runId;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    /** Whether {@code traceparent}, a header value, belongs to this run's trace (any span of it). */
    public boolean isInTrace(String traceparent) {
        return traceparent != null && traceparent.length() >= 36 && traceparent.regionMatches(3, traceId, 0, 32)
                && traceparent.charAt(2) == '-' && traceparent.charAt(35) == '-';
    }

    @Override
    public String toString() {
        return traceparent;
    }
}

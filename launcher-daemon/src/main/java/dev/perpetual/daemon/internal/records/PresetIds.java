package dev.perpetual.daemon.internal.records;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Hands the SDK the ids a run already has (its trace id, its root span, its steps' spans, as the extension made them
 * and the test sent them), so the exported spans are the very ones the system under test's spans point to. Ids not
 * preset (a run the test never started) are random. Used only under {@link TraceExport}'s lock.
 */
final class PresetIds implements IdGenerator {

    private static final IdGenerator RANDOM = IdGenerator.random();

    private String traceId;
    private String spanId;

    /** The ids the next span started will have; null for random ones. */
    void next(String nextTraceId, String nextSpanId) {
        this.traceId = nextTraceId;
        this.spanId = nextSpanId;
    }

    @Override
    public String generateTraceId() {
        String id = traceId;
        traceId = null;
        return id != null ? id : RANDOM.generateTraceId();
    }

    @Override
    public String generateSpanId() {
        String id = spanId;
        spanId = null;
        return id != null ? id : RANDOM.generateSpanId();
    }
}

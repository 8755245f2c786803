package dev.perpetual.internal.trace;

import dev.perpetual.RunTrace;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * The run's span, or one of its steps' (as a remote parent: their spans are exported by the daemon, not here), and
 * the run's baggage, current in OpenTelemetry's {@code Context}. Loaded only when {@link TraceScopes#detect()} found
 * {@code opentelemetry-api}.
 */
final class OpenTelemetryScopes implements TraceScopes {

    @Override
    public Scope open(W3cRunTrace trace) {
        return current(trace, trace.spanId());
    }

    @Override
    public Scope openStep(W3cRunTrace trace, String spanId) {
        return current(trace, spanId);
    }

    /** Span {@code spanId} of the run's trace, with the run's baggage, current until the scope closes. */
    private static Scope current(W3cRunTrace trace, String spanId) {
        SpanContext span = SpanContext.createFromRemoteParent(trace.traceId(), spanId,
                TraceFlags.getSampled(), TraceState.builder().put("perpetual", trace.tenancy()).build());
        Baggage baggage = Baggage.current().toBuilder()
                .put(RunTrace.TENANCY_ENTRY, trace.tenancy())
                .put(RunTrace.TEST_ENTRY, trace.test())
                .put(RunTrace.RUN_ENTRY, trace.runId())
                .build();
        io.opentelemetry.context.Scope scope = Context.current().with(Span.wrap(span)).with(baggage).makeCurrent();
        return scope::close;
    }
}

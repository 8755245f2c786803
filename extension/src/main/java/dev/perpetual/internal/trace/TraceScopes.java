package dev.perpetual.internal.trace;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Makes a run's trace the current one on the calling thread, for as long as the returned scope is open: the run's
 * span (or a step's) and baggage as the current OpenTelemetry {@code Context} when {@code opentelemetry-api} is on
 * the test's class path, else nothing.
 */
@API(status = INTERNAL, since = "0.1")
public interface TraceScopes {

    /** Closing the scope restores what was current before. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Does nothing: OpenTelemetry is absent. */
    TraceScopes NONE = new TraceScopes() {

        private final Scope nothing = () -> { };

        @Override
        public Scope open(W3cRunTrace trace) {
            return nothing;
        }

        @Override
        public Scope openStep(W3cRunTrace trace, String spanId) {
            return nothing;
        }
    };

    /** Makes {@code trace} current on this thread until the scope closes. */
    Scope open(W3cRunTrace trace);

    /**
     * Makes the step span {@code spanId} of {@code trace} the current span on this thread, with the run's baggage,
     * until the scope closes: a request an instrumented client makes inside the step is a child of the step.
     */
    Scope openStep(W3cRunTrace trace, String spanId);

    /**
     * OpenTelemetry's when {@code opentelemetry-api} can be loaded beside the extension, else none. OpenTelemetry's
     * classes are loaded here, once, so that no run spends its time (and its deadline) loading them.
     */
    static TraceScopes detect() {
        try {
            Class.forName("io.opentelemetry.context.Context", false, TraceScopes.class.getClassLoader());
            Class.forName("io.opentelemetry.api.baggage.Baggage", false, TraceScopes.class.getClassLoader());
        }
        catch (ClassNotFoundException | LinkageError absent) {
            return NONE;
        }
        TraceScopes scopes = new OpenTelemetryScopes();
        scopes.open(W3cRunTrace.start("test", "warm-up", "warm-up")).close();
        return scopes;
    }
}

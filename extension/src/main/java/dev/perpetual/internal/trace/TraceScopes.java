package dev.perpetual.internal.trace;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Makes a run's trace the current one on the calling thread, for as long as the returned scope is open: the run's
 * span and baggage as the current OpenTelemetry {@code Context} when {@code opentelemetry-api} is on the test's
 * class path, else nothing.
 */
@API(status = INTERNAL, since = "0.1")
public interface TraceScopes {

    /** Closing the scope restores what was current before. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Makes {@code trace} current on this thread until the scope closes. */
    Scope open(W3cRunTrace trace);

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
            return trace -> () -> { };
        }
        TraceScopes scopes = new OpenTelemetryScopes();
        scopes.open(W3cRunTrace.start("test", "warm-up", "warm-up")).close();
        return scopes;
    }
}

package dev.perpetual.internal.trace;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.Arrays;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What a run's trace context costs, run on purpose (tagged {@code benchmark}, excluded from the default suite):
 * <pre>
 * ./mvnw -B -o -Pbenchmarks verify -pl extension -Dtest=TraceBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Prints, measured in one JVM one after the other: the p50 of one run of an empty {@code @Perpetual} test through the
 * JUnit Platform Launcher (one long-lived session, as a worker runs them; OpenTelemetry's API is on this class path,
 * so its Context is made current too); the p50 per run of what the trace context adds with OpenTelemetry absent (a
 * trace id, a span id, traceparent, tracestate, baggage and the headers map: {@link W3cRunTrace#start}); of one step's
 * span id; and of making the run's span and baggage current in OpenTelemetry's Context and closing it again. The
 * direct figures are the p50 over batches of 1,000 calls. {@code -Dbenchmark.runs=20000} sets the Launcher runs.
 */
@Tag("benchmark")
class TraceBenchmark {

    private static final int BATCH = 1_000;

    @Test
    void per_run_cost() {
        int runs = Integer.getInteger("benchmark.runs", 20_000);
        double launcher = launcherRunP50Nanos(runs);
        double absent = batchedP50Nanos(() -> W3cRunTrace.start("test", "EmptyTestCase.empty", "mx83wv9f-6q5u9wv56v89")
                .headers().size());
        double stepSpan = batchedP50Nanos(() -> TraceIds.spanId().length());
        W3cRunTrace trace = W3cRunTrace.start("test", "EmptyTestCase.empty", "mx83wv9f-6q5u9wv56v89");
        OpenTelemetryScopes scopes = new OpenTelemetryScopes();
        double context = batchedP50Nanos(() -> {
            scopes.open(trace).close();
            return 1;
        });
        System.out.printf("launcher run p50            %10.2f µs  (%d runs)%n", launcher / 1000, runs);
        System.out.printf("trace context, OTel absent  %10.3f µs  (%.3f%% of a run)%n", absent / 1000,
                100 * absent / launcher);
        System.out.printf("one step's span id          %10.3f µs%n", stepSpan / 1000);
        System.out.printf("OTel Context open + close   %10.3f µs  (%.3f%% of a run)%n", context / 1000,
                100 * context / launcher);
    }

    private static double launcherRunP50Nanos(int runs) {
        LauncherDiscoveryRequest request = request().selectors(selectMethod(EmptyTestCase.class, "empty", O.class.getName()))
                .configurationParameter("perpetual.report.stdout", "false").build();
        long[] nanos = new long[runs];
        try (LauncherSession session = LauncherFactory.openSession()) {
            for (int i = 0; i < runs / 4; i++) { // warm-up
                session.getLauncher().execute(request);
            }
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                session.getLauncher().execute(request);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return nanos[runs / 2];
    }

    private static int sink;

    private static double batchedP50Nanos(java.util.function.IntSupplier call) {
        for (int i = 0; i < 200_000; i++) { // warm-up
            sink += call.getAsInt();
        }
        double[] perCall = new double[2_000];
        for (int b = 0; b < perCall.length; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                sink += call.getAsInt();
            }
            perCall[b] = (System.nanoTime() - start) / (double) BATCH;
        }
        Arrays.sort(perCall);
        return perCall[perCall.length / 2];
    }

    static class EmptyTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void empty(O o) {
        }
    }
}

package dev.perpetual.internal.trace;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.Arrays;
import java.util.List;

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

    /**
     * The trace context's cost per run through the Launcher, against the same run without it. A run cannot go without
     * its own trace context ({@code O.trace()} always has one), so the harness measures its marginal cost: runs of the
     * same empty {@code @Perpetual} test that make 0, 1 or 8 trace contexts more than their own (each as the extension
     * makes a run's: {@link W3cRunTrace#start} with a fresh run id, its scope opened and closed), interleaved round
     * by round in one session. The extra contexts' scopes are OpenTelemetry's absent ({@link TraceScopes#NONE}), then,
     * in a second pass, present ({@link OpenTelemetryScopes}). {@code -Dbenchmark.rounds=20000} sets the rounds.
     */
    @Test
    void marginal_cost_per_run_through_the_launcher() {
        int rounds = Integer.getInteger("benchmark.rounds", 20_000);
        System.out.printf("%-26s %12s %12s %12s %14s %14s%n", "extra contexts' scopes", "p50 +0", "p50 +1", "p50 +8",
                "(+8 - +0)/8", "paired med/8");
        for (TraceScopes scopes : List.of(TraceScopes.NONE, new OpenTelemetryScopes())) {
            MarginalTestCase.scopes = scopes;
            long[][] nanos = interleaved(rounds, "plus0", "plus1", "plus8");
            double[] paired = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                paired[i] = (nanos[2][i] - nanos[0][i]) / 8.0;
            }
            Arrays.sort(paired);
            double p0 = p50(nanos[0]);
            double p1 = p50(nanos[1]);
            double p8 = p50(nanos[2]);
            System.out.printf("%-26s %9.2f µs %9.2f µs %9.2f µs %11.3f µs %11.3f µs%n",
                    scopes == TraceScopes.NONE ? "OpenTelemetry absent" : "OpenTelemetry's Context", p0 / 1000,
                    p1 / 1000, p8 / 1000, (p8 - p0) / 8 / 1000, paired[rounds / 2] / 1000);
        }
    }

    /** {@code rounds} runs of each method, one of each per round in a rotating order, after a quarter as warm-up. */
    private static long[][] interleaved(int rounds, String... methods) {
        List<LauncherDiscoveryRequest> requests = Arrays.stream(methods).map(method -> request()
                .selectors(selectMethod(MarginalTestCase.class, method, O.class.getName()))
                .configurationParameter("perpetual.report.stdout", "false").build()).toList();
        long[][] nanos = new long[methods.length][rounds];
        try (LauncherSession session = LauncherFactory.openSession()) {
            for (int round = -rounds / 4; round < rounds; round++) {
                for (int k = 0; k < methods.length; k++) {
                    int variant = Math.floorMod(round + k, methods.length);
                    long start = System.nanoTime();
                    session.getLauncher().execute(requests.get(variant));
                    long took = System.nanoTime() - start;
                    if (round >= 0) {
                        nanos[variant][round] = took;
                    }
                }
            }
        }
        return nanos;
    }

    private static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
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

    /** The same empty run, plus 0, 1 or 8 trace contexts made as the extension makes a run's. */
    static class MarginalTestCase {

        static volatile TraceScopes scopes = TraceScopes.NONE;

        @Perpetual(period = "1m", timeout = "10s")
        void plus0(O o) {
            extra(o, 0);
        }

        @Perpetual(period = "1m", timeout = "10s")
        void plus1(O o) {
            extra(o, 1);
        }

        @Perpetual(period = "1m", timeout = "10s")
        void plus8(O o) {
            extra(o, 8);
        }

        private static void extra(O o, int contexts) {
            for (int i = 0; i < contexts; i++) {
                W3cRunTrace trace = W3cRunTrace.start("test", "MarginalTestCase.plus", o.runId() + i);
                scopes.open(trace).close();
            }
        }
    }

    static class EmptyTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void empty(O o) {
        }
    }
}

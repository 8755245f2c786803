package dev.perpetual.daemon.internal.records;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.Constants;
import dev.perpetual.internal.trace.TraceIds;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What exporting a run as a trace costs the supervisor ({@code perpetual.traces.otlp.url}), run on purpose (tagged
 * {@code benchmark}):
 * <pre>
 * ./mvnw -B -o -Pbenchmarks verify -pl launcher-daemon -am -Dtest=TraceExportBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=NoSuchIT -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * {@link TraceExport#export} of run records (a passing run with two steps: three spans) at a steady offered rate
 * ({@code -Dbenchmark.rate=1000} runs/s, {@code -Dbenchmark.runs=60000}), the SDK's batch processor sending them over
 * OTLP/HTTP to a real local receiver that decodes every request with opentelemetry-proto. Prints the p50 and p99 of
 * one {@code export} call on the calling thread (the records thread in the daemon; the run itself is in a worker JVM),
 * the CPU the SDK's own threads (its batch worker, the JDK HTTP client's) spent per run, and the spans received
 * (the batch processor drops what its queue cannot hold, never blocking the caller).
 */
@Tag("benchmark")
class TraceExportBenchmark {

    @Test
    void costPerRunOfExportingItsTrace() throws Exception {
        int runs = Integer.getInteger("benchmark.runs", 60_000);
        int rate = Integer.getInteger("benchmark.rate", 1_000);
        AtomicLong spans = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody()
                    .readAllBytes());
            spans.addAndGet(request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                    .mapToLong(s -> s.getSpansCount()).sum());
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
        TraceExport export = TraceExport.from(key -> key.equals(Constants.TRACES_OTLP_URL) ? Optional.of(url)
                : Optional.empty(), name -> null, "bench").orElseThrow();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            offer(export, runs / 4, rate); // warm-up
            awaitSpans(spans, 3L * (runs / 4));
            long exporterCpuBefore = exporterCpuNanos(threads);
            long receivedBefore = spans.get();
            long[] nanos = offer(export, runs, rate);
            awaitSpans(spans, receivedBefore + 3L * runs);
            long exporterCpu = exporterCpuNanos(threads) - exporterCpuBefore;
            Arrays.sort(nanos);
            System.out.printf("%d runs at %d runs/s offered, 3 spans each%n", runs, rate);
            System.out.printf("export() on the calling thread: p50 %.2f µs, p99 %.2f µs, max %.1f µs%n",
                    nanos[runs / 2] / 1000.0, nanos[runs * 99 / 100] / 1000.0, nanos[runs - 1] / 1000.0);
            System.out.printf("the SDK's threads (batch worker, HTTP client): %.2f µs CPU per run%n",
                    exporterCpu / 1000.0 / runs);
            System.out.printf("received %d of the %d spans measured (%.2f %% dropped); %d requests in all%n",
                    spans.get() - receivedBefore, 3L * runs,
                    100.0 * (3L * runs - (spans.get() - receivedBefore)) / (3L * runs), requests.get());
        }
        finally {
            export.close();
            receiver.stop(0);
        }
    }

    /** {@code runs} exports, one every {@code 1/rate} s; each call's duration on this thread. */
    private static long[] offer(TraceExport export, int runs, int rate) {
        long[] nanos = new long[runs];
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            RunRecord record = record(i);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long start = System.nanoTime();
            export.export(record);
            nanos[i] = System.nanoTime() - start;
            next += interval;
        }
        return nanos;
    }

    /** A passing run of two steps, with the ids its worker gave it. */
    private static RunRecord record(int i) {
        Instant start = Instant.now();
        String root = TraceIds.spanId();
        List<RunReport.Step> steps = List.of(
                new RunReport.Step("log in", start, Duration.ofMillis(40), Outcome.PASS, TraceIds.spanId(), root),
                new RunReport.Step("order", start.plusMillis(40), Duration.ofMillis(60), Outcome.PASS,
                        TraceIds.spanId(), root));
        return new RunRecord("Checkout.order", "shop.Checkout", "run-" + i, start, start, Duration.ofMillis(100),
                Outcome.PASS, 1, null, null, List.of(), 0, steps, List.of(), false, null, null, TraceIds.traceId(),
                root);
    }

    /**
     * Waits until {@code expected} spans have arrived, or none has for 6 s (longer than the batch processor's 5 s
     * schedule delay): the processor drops spans rather than block when its queue (2,048) is full.
     */
    private static void awaitSpans(AtomicLong spans, long expected) {
        AtomicLong last = new AtomicLong(-1);
        AtomicLong since = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = spans.get();
            if (now != last.getAndSet(now)) {
                since.set(System.nanoTime());
            }
            return now >= expected || System.nanoTime() - since.get() > Duration.ofSeconds(6).toNanos();
        });
    }

    /** CPU time so far of the threads the SDK sends with: its batch worker and the JDK HTTP client's. */
    private static long exporterCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("BatchSpanProcessor")
                    || info.getThreadName().startsWith("HttpClient"))) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}

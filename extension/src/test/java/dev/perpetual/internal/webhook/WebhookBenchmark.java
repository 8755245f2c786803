package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.PendingWebhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How fast the receiver is, run on purpose (tagged {@code benchmark}, excluded from the default suite):
 * <pre>
 * ./mvnw -B -o -Pbenchmarks verify -pl extension -Dtest=WebhookBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * <ul>
 * <li>{@link #round_trips()}: {@code expect} → HTTP POST over loopback → {@code await}, from 1, 16 and 64
 * concurrent callers, each with a keep-alive connection and a ~200 B JSON body, for the receiver on its dispatcher
 * thread ({@code threads=0}, the default) and on a pool of 2. The client is a minimal HTTP/1.1 writer on a plain
 * socket (as lean as Orbital's Go driver), so that the figures are the receiver's, not {@code java.net.http}'s.
 * Prints round trips/s, p50/p99, CPU per round trip of the whole process and of the server alone (the process minus
 * the callers' threads: the HTTP threads, GC and JIT), live heap and RSS.</li>
 * <li>{@link #server_under_wrk()}: the receiver alone, driven by {@code wrk -t2 -c16} with the same body for
 * unknown keys (the anchors in issue 3 were measured this way), beside the JDK {@code HttpServer} with a trivial
 * handler on a pool of 2 ({@code jdk-pool}, the Java anchor) and on its dispatcher thread ({@code jdk-0}),
 * measured in the same run. Skipped when
 * {@code wrk} is not installed ({@code apt-get install -y wrk}). Server CPU is this whole JVM's: wrk runs in its own
 * process.</li>
 * </ul>
 * {@code -Dbenchmark.seconds=5} sets each measurement's length (after a warm-up of half as long),
 * {@code -Dbenchmark.threads=0,2} the server modes, {@code -DargLine=-Xmx64m} a small heap (RSS otherwise mostly
 * reflects the default heap sizing of a big machine). On a shared 2-core machine compare ratios within one run.
 */
@Tag("benchmark")
class WebhookBenchmark {

    private static final List<Runnable> BASELINE = new ArrayList<>();
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 5);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void round_trips() throws Exception {
        System.out.printf(Locale.ROOT, "%n%-8s %7s %12s %9s %9s %13s %13s %13s %8s%n", "threads", "callers",
                "round trips/s", "p50 µs", "p99 µs", "process µs/rt", "server µs/rt", "live heap MiB", "RSS MiB");
        for (String threads : System.getProperty("benchmark.threads", "0,2").split(",")) {
            try (Fixture fixture = new Fixture("perpetual.webhooks.threads", threads.strip())) {
                for (int callers : new int[] { 1, 16, 64 }) {
                    roundTrips(fixture, callers, SECONDS / 2.0); // warm-up
                    Result result = roundTrips(fixture, callers, SECONDS);
                    System.out.printf(Locale.ROOT, "%-8s %7d %12.0f %9.0f %9.0f %13.1f %13.1f %13.1f %8.0f%n",
                            threads.strip(), callers, result.perSecond(), result.percentile(50) / 1e3,
                            result.percentile(99) / 1e3, result.processCpuNanos / 1e3 / result.count(),
                            result.serverCpuNanos() / 1e3 / result.count(), heapMiB(), rssMiB());
                    assertThat(result.count()).isPositive();
                }
            }
        }
    }

    @Test
    void server_under_wrk() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/wrk")), "wrk is not installed");
        Path script = Files.createTempFile("webhook", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = [[" + body("k-00000042") + "]]\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        System.out.printf(Locale.ROOT, "%n%-8s %12s %17s %13s %8s%n", "threads", "webhooks/s", "server µs/webhook",
                "live heap MiB", "RSS MiB");
        try {
            assertThat(underWrk("jdk-pool", script, jdkBaseline(2))).isPositive();
            assertThat(underWrk("jdk-0", script, jdkBaseline(0))).isPositive();
            for (String threads : System.getProperty("benchmark.threads", "0,2").split(",")) {
                try (Fixture fixture = new Fixture("perpetual.webhooks.threads", threads.strip())) {
                    long requests = underWrk(threads.strip(), script, fixture.url("default"));
                    assertThat(fixture.received("default", "unmatched")).isGreaterThanOrEqualTo(requests);
                }
            }
        }
        finally {
            Files.delete(script);
        }
    }

    /** Prints one row; returns the requests wrk made while measured. */
    private static long underWrk(String label, Path script, URI url) throws Exception {
        wrk(script, url, Math.max(1, SECONDS / 2)); // warm-up
        long cpu = OS.getProcessCpuTime();
        String output = wrk(script, url, SECONDS);
        cpu = OS.getProcessCpuTime() - cpu;
        long requests = Long.parseLong(output.replaceAll("(?s).*?(\\d+) requests in.*", "$1"));
        double perSecond = Double.parseDouble(output.replaceAll("(?s).*Requests/sec:\\s*([0-9.]+).*", "$1"));
        System.out.printf(Locale.ROOT, "%-8s %12.0f %17.1f %13.1f %8.0f%n", label, perSecond, cpu / 1e3 / requests,
                heapMiB(), rssMiB());
        assertThat(output).doesNotContain("Non-2xx");
        return requests;
    }

    /**
     * The Java anchor, measured in the same run: the JDK {@code HttpServer} with a handler that only reads
     * the body and answers 200, on a fixed pool of {@code threads} or (0) on its dispatcher thread.
     */
    private static URI jdkBaseline(int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService pool = threads == 0 ? null : Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/webhooks/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        BASELINE.add(() -> {
            server.stop(0);
            if (pool != null) {
                pool.shutdownNow();
            }
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/default");
    }

    @AfterAll
    static void stopBaseline() {
        BASELINE.forEach(Runnable::run);
    }

    private static String wrk(Path script, URI url, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "-s", script.toString(),
                url.toString()).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    /** {@code callers} threads, each its own run and keep-alive connection, for {@code seconds}. */
    private static Result roundTrips(Fixture fixture, int callers, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Caller> all = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(callers);
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < callers; i++) {
            Caller caller = new Caller(fixture, "c" + i, end, done);
            all.add(caller);
            caller.thread.start();
        }
        assertThat(done.await((long) seconds + 60, TimeUnit.SECONDS)).isTrue();
        long elapsed = System.nanoTime() - start;
        cpu = OS.getProcessCpuTime() - cpu;
        long callerCpu = 0;
        int count = 0;
        for (Caller caller : all) {
            if (caller.failure != null) {
                throw new AssertionError(caller.failure);
            }
            callerCpu += caller.cpuNanos;
            count += caller.count;
        }
        long[] latencies = new long[count];
        int at = 0;
        for (Caller caller : all) {
            System.arraycopy(caller.latencies, 0, latencies, at, caller.count);
            at += caller.count;
        }
        Arrays.sort(latencies);
        return new Result(latencies, elapsed, cpu, callerCpu);
    }

    private record Result(long[] latencies, long elapsedNanos, long processCpuNanos, long callerCpuNanos) {
        int count() {
            return latencies.length;
        }

        double perSecond() {
            return count() / (elapsedNanos / 1e9);
        }

        long percentile(int p) {
            return latencies.length == 0 ? 0 : latencies[(int) Math.min(latencies.length - 1L,
                    (long) Math.ceil(p / 100.0 * latencies.length) - 1)];
        }

        long serverCpuNanos() {
            return processCpuNanos - callerCpuNanos;
        }
    }

    /** One caller: a run (reopened every 100 round trips, as runs come and go), a socket, a loop. */
    private static final class Caller implements Runnable {
        final Thread thread = new Thread(this);
        final Fixture fixture;
        final String name;
        final long end;
        final CountDownLatch done;
        long[] latencies = new long[1024];
        int count;
        long cpuNanos;
        Throwable failure;

        Caller(Fixture fixture, String name, long end, CountDownLatch done) {
            this.fixture = fixture;
            this.name = name;
            this.end = end;
            this.done = done;
        }

        @Override
        public void run() {
            URI url = fixture.url("default");
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
                String head = "POST /webhooks/default HTTP/1.1\r\nHost: " + url.getAuthority()
                        + "\r\nContent-Type: application/json\r\nContent-Length: ";
                RunWebhooks run = null;
                for (int i = 0; System.nanoTime() < end; i++) {
                    if (i % 100 == 0) {
                        if (run != null) {
                            run.close();
                        }
                        run = fixture.run(name + "-" + i);
                    }
                    String key = name + "-k-" + i;
                    long start = System.nanoTime();
                    PendingWebhook pending = run.expect(key);
                    byte[] body = body(key).getBytes(StandardCharsets.UTF_8);
                    out.write((head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    readResponse(in);
                    pending.await(Duration.ofSeconds(10));
                    record(System.nanoTime() - start);
                }
                if (run != null) {
                    run.close();
                }
            }
            catch (Throwable t) {
                failure = t;
            }
            finally {
                cpuNanos = THREADS.getCurrentThreadCpuTime();
                done.countDown();
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        /** Reads a status line and headers, and skips a body of Content-Length bytes. */
        private static void readResponse(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            long contentLength = 0;
            boolean first = true;
            while (true) {
                line.setLength(0);
                for (int c = in.read(); c != '\n'; c = in.read()) {
                    if (c < 0) {
                        throw new IOException("connection closed");
                    }
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
                if (first && !line.toString().startsWith("HTTP/1.1 200")) {
                    throw new IOException("unexpected response " + line);
                }
                first = false;
                if (line.length() == 0) {
                    break;
                }
                if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
                    contentLength = Long.parseLong(line.substring(15).strip());
                }
            }
            in.skipNBytes(contentLength);
        }
    }

    /** A ~200 B JSON body like an order webhook's, with {@code key} as its id. */
    static String body(String key) {
        return "{\"id\":\"" + key + "\",\"type\":\"order.created\",\"created\":1700000000,\"data\":{\"order\":"
                + "\"o-123456\",\"amount\":4200,\"currency\":\"EUR\",\"customer\":\"c-987654\",\"items\":[{\"sku\":"
                + "\"sku-1\",\"qty\":1},{\"sku\":\"sku-2\",\"qty\":2}]}}";
    }

    /** The heap still in use after a full collection: what the receiver keeps, not what it churns. */
    private static double heapMiB() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}

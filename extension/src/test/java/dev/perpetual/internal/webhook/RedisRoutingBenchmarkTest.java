package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.PendingWebhook;
import dev.perpetual.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cross-replica round trips through Redis against the single-node receiver, run on purpose:
 * <pre>
 * ./mvnw -B -o -Pbenchmarks test -pl extension -Dtest=RedisRoutingBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * A round trip is one run's life: {@code openRun}, {@code expect}, an HTTP POST over loopback, {@code await},
 * {@code close}, from 16 concurrent callers. {@code single}: one receiver, posted to itself (memory store).
 * {@code 2 replicas}: two receivers sharing a redis-server; every POST goes to the other replica than the waiting one,
 * so each webhook crosses Redis. Prints round trips/s, p50/p99 and Redis commands per round trip
 * ({@code INFO commandstats} delta, the scripts' own commands included). After a warm-up of each, the two alternate
 * for {@code -Dbenchmark.rounds=3} rounds of {@code -Dbenchmark.seconds=5} each, so that a noisy machine weighs on
 * both alike; the ratio is taken over all rounds. Goal: at least half the single-node throughput and p99 under 20 ms.
 */
@Tag("benchmark")
class RedisRoutingBenchmarkTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final int CALLERS = 16;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration LENGTH = Duration.ofSeconds(Long.getLong("benchmark.seconds", 5));
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);

    @Test
    void round_trips_across_replicas_against_one_node() throws Exception {
        Result single = Result.NONE;
        Result replicas = Result.NONE;
        Map<String, Long> commands = new TreeMap<>();
        try (Fixture node = new Fixture(); Fixture a = replica(); Fixture b = replica()) {
            measure(node, node, LENGTH);
            measure(a, b, LENGTH);
            System.out.printf(Locale.ROOT, "%nRedis webhook routing, %d callers, %d rounds of %s each, %s%n", CALLERS,
                    ROUNDS, LENGTH, Instant.now());
            System.out.printf(Locale.ROOT, "| %-22s | %12s | %8s | %8s |%n", "", "round trips/s", "p50 ms", "p99 ms");
            for (int round = 1; round <= ROUNDS; round++) {
                Result alone = measure(node, node, LENGTH);
                Map<String, Long> before = redis.commandCalls();
                Result across = measure(a, b, LENGTH);
                redis.commandCalls().forEach((name, calls) -> {
                    long delta = calls - before.getOrDefault(name, 0L);
                    if (delta > 0 && !name.equals("info")) {
                        commands.merge(name, delta, Long::sum);
                    }
                });
                System.out.println(alone.row("single node (memory)"));
                System.out.println(across.row("2 replicas via Redis"));
                System.out.printf(Locale.ROOT, "round %d ratio %.2f%n", round, across.perSecond() / alone.perSecond());
                single = single.plus(alone);
                replicas = replicas.plus(across);
            }
        }
        long total = commands.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder perCommand = new StringBuilder();
        long count = replicas.count;
        commands.forEach((name, calls) -> perCommand.append(String.format(Locale.ROOT, " %s %.2f", name,
                calls / (double) count)));
        System.out.println(single.row("single node, all rounds"));
        System.out.println(replicas.row("2 replicas, all rounds"));
        System.out.printf(Locale.ROOT, "throughput ratio %.2f; Redis commands per round trip %.2f:%s%n",
                replicas.perSecond() / single.perSecond(), total / (double) count, perCommand);
        assertThat(replicas.count).isPositive();
    }

    private static Fixture replica() {
        return new Fixture("perpetual.webhooks.store", "redis", "perpetual.redis.uri", redis.uri(),
                "perpetual.webhooks.threads", System.getProperty("benchmark.threads", "0"));
    }

    /** {@code CALLERS} threads wait on {@code waiter} while webhooks go to {@code receiver}, for {@code length}. */
    private static Result measure(Fixture waiter, Fixture receiver, Duration length) throws InterruptedException {
        long[][] latencies = new long[CALLERS][];
        int[] counts = new int[CALLERS];
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(CALLERS);
        URI url = receiver.url("default");
        for (int t = 0; t < CALLERS; t++) {
            int caller = t;
            latencies[caller] = new long[200_000];
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        String key = "k-" + runs.incrementAndGet();
                        long start = System.nanoTime();
                        RunWebhooks run = waiter.run("run-" + key);
                        PendingWebhook pending = run.expect(key);
                        HTTP.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"id\":\"" + key + "\",\"type\":\"track\",\"event\":\"Order Completed\"}"))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        pending.await(Duration.ofSeconds(5));
                        run.close();
                        if (counts[caller] < latencies[caller].length) {
                            latencies[caller][counts[caller]++] = System.nanoTime() - start;
                        }
                    }
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                finally {
                    done.countDown();
                }
            }, "caller-" + caller);
            thread.start();
        }
        long begin = System.nanoTime();
        Thread.sleep(length.toMillis());
        stop.set(true);
        done.await();
        long elapsed = System.nanoTime() - begin;
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int t = 0; t < CALLERS; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new Result(all.length, elapsed, all);
    }

    record Result(int count, long elapsedNanos, long[] sorted) {

        static final Result NONE = new Result(0, 0, new long[0]);

        Result plus(Result other) {
            long[] both = Arrays.copyOf(sorted, sorted.length + other.sorted.length);
            System.arraycopy(other.sorted, 0, both, sorted.length, other.sorted.length);
            Arrays.sort(both);
            return new Result(count + other.count, elapsedNanos + other.elapsedNanos, both);
        }

        double perSecond() {
            return count / (elapsedNanos / 1e9);
        }

        double percentileMillis(double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }

        String row(String name) {
            return String.format(Locale.ROOT, "| %-22s | %12.0f | %8.2f | %8.2f |", name, perSecond(),
                    percentileMillis(0.50), percentileMillis(0.99));
        }
    }
}

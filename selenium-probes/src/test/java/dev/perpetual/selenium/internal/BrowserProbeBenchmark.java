package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import dev.perpetual.internal.trace.W3cRunTrace;
import dev.perpetual.selenium.Beacon;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe run as the daemon repeats it: a fresh user context and tab, the probe page with the real analytics.js,
 * a {@code track} call and its beacon captured. Prints the cold first run, warm p50/p99, and the browser tree's
 * PSS along the way. Runs come back to back, then again with {@code perpetual.bench.pause} (default 200 ms) of idle
 * time before each, as a scheduler leaves between a browser's runs: the pool prepares the next run's tab while it
 * is idle. {@code ./mvnw -Pbenchmarks verify -pl selenium-probes}; {@code -Dperpetual.bench.runs=N}.
 *
 * <p>{@link #interceptionCost()} measures what marking the page's requests with the run's trace headers costs: two
 * pools side by side, one marking (the default, the probe page's origin) and one not ({@code none}), their runs back to
 * back and interleaved (ABBA), so that both see the same load.
 */
@Tag("benchmark")
class BrowserProbeBenchmark {

    private static final int RUNS = Integer.getInteger("perpetual.bench.runs", 1000);
    private static final long PAUSE_MILLIS = Long.getLong("perpetual.bench.pause", 200);

    @TempDir
    Path temp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void probeRuns() throws InterruptedException {
        long coldStart = System.nanoTime();
        try (BrowserPool pool = BrowserPool.create(BrowserSettings.from(key -> Optional.empty()),
                new TempRoot(temp.resolve("root")));
                AnalyticsServer server = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()))) {
            probeRun(pool, server);
            Duration cold = Duration.ofNanos(System.nanoTime() - coldStart);
            System.out.printf(Locale.ROOT, "browser probe benchmark: cold first run %dms%n", cold.toMillis());
            warmRuns(pool, server, 0);
            warmRuns(pool, server, PAUSE_MILLIS);
            assertThat(pool.browsers()).hasSize(1);
        }
    }

    private void warmRuns(BrowserPool pool, AnalyticsServer server, long pauseMillis) throws InterruptedException {
        List<Long> warm = new ArrayList<>();
        List<String> pss = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            Thread.sleep(pauseMillis);
            long start = System.nanoTime();
            probeRun(pool, server);
            warm.add(System.nanoTime() - start);
            if (i == 1 || i % Math.max(1, RUNS / 10) == 0) {
                long bytes = BrowserProcesses.pss(BrowserProcesses.under(pool.root().mine()));
                pss.add(String.format(Locale.ROOT, "%d:%.0fMiB", i, bytes / 1048576.0));
            }
        }
        warm.sort(Long::compare);
        System.out.printf(Locale.ROOT, "browser probe benchmark: warm runs (n=%d, %dms idle before each) p50 %dms, "
                + "p99 %dms, max %dms; browser-tree PSS by run %s%n", RUNS, pauseMillis, percentile(warm, 50),
                percentile(warm, 99), warm.get(warm.size() - 1) / 1_000_000, pss);
    }

    @Test
    void interceptionCost() {
        int runs = Integer.getInteger("perpetual.bench.runs", 300);
        try (BrowserPool marking = BrowserPool.create(BrowserSettings.from(key -> Optional.empty()),
                new TempRoot(temp.resolve("marking")));
                BrowserPool plain = BrowserPool.create(BrowserSettings.from(key -> Optional.of("none")
                        .filter(none -> key.equals("perpetual.tenancy.browser-origins"))),
                        new TempRoot(temp.resolve("plain")));
                AnalyticsServer server = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()))) {
            assertThat(probeRun(marking, server).request().header("traceparent")).isPresent();
            assertThat(probeRun(plain, server).request().header("traceparent")).isEmpty();
            int requests = requestsOfOneRun(marking, server);
            for (int i = 0; i < 20; i++) {
                probeRun(marking, server);
                probeRun(plain, server);
            }
            int threadsBefore = Thread.activeCount();
            List<Long> marked = new ArrayList<>();
            List<Long> unmarked = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                boolean markingFirst = i % 4 == 0 || i % 4 == 3;
                timed(markingFirst ? marking : plain, server, markingFirst ? marked : unmarked);
                timed(markingFirst ? plain : marking, server, markingFirst ? unmarked : marked);
            }
            marked.sort(Long::compare);
            unmarked.sort(Long::compare);
            System.out.printf(Locale.ROOT, "browser probe benchmark: interception (n=%d each, back to back, "
                    + "interleaved ABBA) p50 %.1fms vs %.1fms without, ratio %.3f; p90 %.1fms vs %.1fms; p99 %.1fms "
                    + "vs %.1fms; %d requests per run, all marked; live threads %d before, %d after%n", runs, micros(marked, 50) / 1000.0,
                    micros(unmarked, 50) / 1000.0,
                    (double) micros(marked, 50) / micros(unmarked, 50), micros(marked, 90) / 1000.0,
                    micros(unmarked, 90) / 1000.0, micros(marked, 99) / 1000.0, micros(unmarked, 99) / 1000.0,
                    requests, threadsBefore, Thread.activeCount());
        }
    }

    /** How many requests one probe run makes, each of them checked to carry the run's trace headers. */
    private int requestsOfOneRun(BrowserPool pool, AnalyticsServer server) {
        return withRun(pool, run -> {
            new LocalAnalyticsProbe(server, run).open().track("Benchmark", Map.of("n", 1));
            assertThat(run.recorder().requests()).allSatisfy(request -> assertThat(request.headers())
                    .as("%s", request).containsAllEntriesOf(run.identity().trace().headers()));
            return run.recorder().requests().size();
        });
    }

    private void timed(BrowserPool pool, AnalyticsServer server, List<Long> nanos) {
        long start = System.nanoTime();
        probeRun(pool, server);
        nanos.add(System.nanoTime() - start);
    }

    private static long micros(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000;
    }

    private Beacon probeRun(BrowserPool pool, AnalyticsServer server) {
        return withRun(pool, run -> {
            Beacon beacon = new LocalAnalyticsProbe(server, run).open().track("Benchmark", Map.of("n", 1));
            assertThat(beacon.request().status()).isEqualTo(200);
            return beacon;
        });
    }

    private <T> T withRun(BrowserPool pool, Function<BrowserRun, T> body) {
        String runId = UUID.randomUUID().toString();
        RunIdentity identity = new RunIdentity("BrowserProbeBenchmark.probeRun", runId, registry,
                () -> Duration.ofSeconds(30), W3cRunTrace.start("test", "BrowserProbeBenchmark.probeRun", runId));
        try (BrowserRun run = pool.open(identity, Duration.ofSeconds(30))) {
            return body.apply(run);
        }
    }

    private static long percentile(List<Long> sorted, int percent) {
        return micros(sorted, percent) / 1_000;
    }
}

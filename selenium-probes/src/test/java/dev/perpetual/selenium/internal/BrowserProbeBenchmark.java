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

    private void probeRun(BrowserPool pool, AnalyticsServer server) {
        String runId = UUID.randomUUID().toString();
        RunIdentity identity = new RunIdentity("BrowserProbeBenchmark.probeRun", runId, registry,
                () -> Duration.ofSeconds(30), W3cRunTrace.start("test", "BrowserProbeBenchmark.probeRun", runId));
        try (BrowserRun run = pool.open(identity, Duration.ofSeconds(30))) {
            Beacon beacon = new LocalAnalyticsProbe(server, run).open().track("Benchmark", Map.of("n", 1));
            assertThat(beacon.request().status()).isEqualTo(200);
        }
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000_000;
    }
}

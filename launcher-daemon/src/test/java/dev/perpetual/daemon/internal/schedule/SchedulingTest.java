package dev.perpetual.daemon.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.Overlap;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Test;

class SchedulingTest {

    @Test
    void runsStartOnAFixedGridWithoutDriftWhateverTheyTake() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(GridTestCase.class)) {
            List<RunRecord> runs = daemon.awaitRuns("GridTestCase.jittery", 8);
            Instant first = runs.get(0).planned();
            for (int n = 1; n < runs.size(); n++) {
                // A tick skipped because the run before was still going leaves a gap of whole periods.
                assertOnGrid(first, runs.get(n).planned(), Duration.ofMillis(60));
                assertThat(runs.get(n).planned()).isAfter(runs.get(n - 1).planned());
                assertThat(runs.get(n).start()).isAfterOrEqualTo(runs.get(n).planned().minusMillis(1));
            }
            assertThat(daemon.sample("perpetual_schedule_lateness_seconds_count")).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void firstRunsAreSpreadByEachTestsStableOffset() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(GridTestCase.class, OtherGridTestCase.class)) {
            Instant a = daemon.awaitRuns("GridTestCase.jittery", 1).get(0).planned();
            Instant b = daemon.awaitRuns("OtherGridTestCase.steady", 1).get(0).planned();
            Duration period = Duration.ofMillis(60);
            Duration expected = Offsets.of("GridTestCase.jittery", period)
                    .minus(Offsets.of("OtherGridTestCase.steady", period));
            assertThat(Duration.between(b, a)).isEqualTo(expected);
        }
    }

    @Test
    void aTickThatFindsThePreviousRunGoingIsSkippedAndCounted() throws Exception {
        SlowTestCase.reset();
        try (TestDaemon daemon = TestDaemon.scheduling(SlowTestCase.class)) {
            daemon.awaitRuns("SlowTestCase.skipping", 3);
            assertThat(SlowTestCase.maxConcurrent.get()).isEqualTo(1);
            assertThat(daemon.sample("perpetual_run_skipped_total{reason=\"overlap\",test=\"SlowTestCase.skipping\"}"))
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void overlapAllowStartsAnotherRunBoundedByMaxConcurrentRuns() throws Exception {
        OverlappingTestCase.reset();
        try (TestDaemon daemon = TestDaemon.scheduling(
                List.of("--config", "perpetual.daemon.max-concurrent-runs=2"), OverlappingTestCase.class)) {
            daemon.awaitRuns("OverlappingTestCase.allowing", 4);
            assertThat(OverlappingTestCase.maxConcurrent.get()).isEqualTo(2);
            assertThat(daemon.sample(
                    "perpetual_run_skipped_total{reason=\"max-concurrent-runs\",test=\"OverlappingTestCase.allowing\"}"))
                    .isGreaterThan(0);
        }
    }

    @Test
    void aFailingTestRunsAtItsPeriodWhileFailingAndBackAtItsPeriodAfterAPass() throws Exception {
        AdaptiveTestCase.failing.set(true);
        try (TestDaemon daemon = TestDaemon.scheduling(AdaptiveTestCase.class)) {
            String name = "AdaptiveTestCase.adaptive";
            List<RunRecord> failing = daemon.awaitRuns(name, 4);
            // After the first failure, the next runs come every 50ms instead of every 600ms.
            assertOnGrid(failing.get(1).planned(), failing.get(3).planned(), Duration.ofMillis(50));
            assertThat(Duration.between(failing.get(1).planned(), failing.get(3).planned()))
                    .isLessThan(Duration.ofMillis(600));
            AdaptiveTestCase.failing.set(false);
            await().until(() -> daemon.runs(name).stream().anyMatch(run -> run.outcome() == Outcome.PASS));
            int firstPass = indexOfFirstPass(daemon.runs(name));
            List<RunRecord> runs = daemon.awaitRuns(name, firstPass + 2);
            assertThat(Duration.between(runs.get(firstPass).planned(), runs.get(firstPass + 1).planned()))
                    .isEqualTo(Duration.ofMillis(600));
            assertThat(runs.get(firstPass + 1).outcome()).isEqualTo(Outcome.PASS);
        }
    }

    @Test
    void aTestDisabledByConfigurationIsListedButNeverRun() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(
                List.of("--config", "perpetual.test.OtherGridTestCase.steady.enabled=false"),
                GridTestCase.class, OtherGridTestCase.class)) {
            daemon.awaitRuns("GridTestCase.jittery", 3);
            assertThat(daemon.daemon.results().history("OtherGridTestCase.steady")).isNull();
            assertThat(daemon.get("/api/tests").body()).contains("\"name\":\"OtherGridTestCase.steady\"")
                    .contains("\"enabled\":false");
        }
    }

    @Test
    void configurationOverridesTheDeclaredPeriod() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(
                List.of("--config", "perpetual.test.OtherGridTestCase.steady.period=90ms"),
                OtherGridTestCase.class)) {
            List<RunRecord> runs = daemon.awaitRuns("OtherGridTestCase.steady", 2);
            assertOnGrid(runs.get(0).planned(), runs.get(1).planned(), Duration.ofMillis(90));
        }
    }

    private static void assertOnGrid(Instant origin, Instant planned, Duration period) {
        long nanos = Duration.between(origin, planned).toNanos();
        assertThat(nanos % period.toNanos()).as("%s after %s is a whole number of %s", planned, origin, period)
                .isZero();
    }

    private static int indexOfFirstPass(List<RunRecord> runs) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).outcome() == Outcome.PASS) {
                return i;
            }
        }
        return -1;
    }

    static class GridTestCase {
        @Perpetual(period = "60ms", timeout = "1s")
        void jittery() throws InterruptedException {
            Thread.sleep(ThreadLocalRandom.current().nextInt(30));
        }
    }

    static class OtherGridTestCase {
        @Perpetual(period = "60ms", timeout = "1s")
        void steady() {
        }
    }

    static class SlowTestCase {
        static final AtomicInteger running = new AtomicInteger();
        static final AtomicInteger maxConcurrent = new AtomicInteger();

        static void reset() {
            running.set(0);
            maxConcurrent.set(0);
        }

        @Perpetual(period = "40ms", timeout = "2s")
        void skipping() throws InterruptedException {
            maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
            }
            finally {
                running.decrementAndGet();
            }
        }
    }

    static class OverlappingTestCase {
        static final AtomicInteger running = new AtomicInteger();
        static final AtomicInteger maxConcurrent = new AtomicInteger();

        static void reset() {
            running.set(0);
            maxConcurrent.set(0);
        }

        @Perpetual(period = "40ms", timeout = "2s", overlap = Overlap.ALLOW)
        void allowing() throws InterruptedException {
            maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(200);
            }
            finally {
                running.decrementAndGet();
            }
        }
    }

    static class AdaptiveTestCase {
        static final AtomicBoolean failing = new AtomicBoolean(true);

        @Perpetual(period = "600ms", periodWhileFailing = "50ms", timeout = "1s")
        void adaptive() {
            if (failing.get()) {
                throw new AssertionError("still failing");
            }
        }
    }
}

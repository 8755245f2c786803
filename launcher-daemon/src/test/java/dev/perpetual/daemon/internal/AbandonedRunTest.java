package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Test methods run on the daemon's worker, which the daemon lends the extension ({@code lendsCurrentThread}): a run
 * whose test method does not stop at its deadline is recorded from the extension's report, and carried on (its retry)
 * by another worker, while the abandoned worker is counted as stuck until it returns.
 */
class AbandonedRunTest {

    @Test
    void testMethodsRunOnTheWorkerThatRunsTheAttempt() throws Exception {
        WorkerTestCase.threads.clear();
        try (TestDaemon daemon = TestDaemon.of(List.of(), WorkerTestCase.class)) {
            daemon.daemon.runOnce();

            assertThat(daemon.runs("WorkerTestCase.records").get(0).outcome()).isEqualTo(Outcome.PASS);
            assertThat(WorkerTestCase.threads).singleElement().asString().startsWith("perpetual-exec-");
        }
    }

    @Test
    void aStuckAttemptIsRecordedAtItsDeadlineAndItsRetryRunsOnAnotherWorker() throws Exception {
        SpinsOnceTestCase.attempts.set(0);
        SpinsOnceTestCase.threads.clear();
        try (TestDaemon daemon = TestDaemon.of(List.of(), SpinsOnceTestCase.class)) {
            daemon.daemon.runOnce();

            List<RunRecord> runs = daemon.runs("SpinsOnceTestCase.spinsOnce");
            assertThat(runs).hasSize(1);
            RunRecord run = runs.get(0);
            assertThat(run.outcome()).as(run.message()).isEqualTo(Outcome.FLAKY);
            assertThat(run.attempts()).isEqualTo(2);
            assertThat(run.message()).startsWith("passed on attempt 2 of 2; attempt 1: timeout "
                    + "SpinsOnceTestCase.spinsOnce timed out after 200ms; its thread did not stop when interrupted "
                    + "and is abandoned");
            assertThat(run.stack()).as("the stuck thread's stack at the deadline").contains("spinsOnce");
            assertThat(run.duration()).as("recorded long before the first attempt's thread returned")
                    .isBetween(Duration.ofMillis(200), Duration.ofMillis(2000));
            assertThat(SpinsOnceTestCase.threads).hasSize(2);
            assertThat(daemon.sample("perpetual_threads_stuck")).isEqualTo(1.0);
            assertThat(daemon.sample("perpetual_runs_in_flight")).isZero();

            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample("perpetual_threads_stuck") == 0.0);
            Thread.sleep(200);
            assertThat(daemon.runs("SpinsOnceTestCase.spinsOnce")).as("one record, even once it returned")
                    .hasSize(1);
            assertThat(SpinsOnceTestCase.attempts).hasValue(2);
        }
    }

    static class WorkerTestCase {
        static final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Perpetual(period = "1h", timeout = "5s")
        void records() {
            threads.add(Thread.currentThread().getName());
        }
    }

    static class SpinsOnceTestCase {
        static final AtomicInteger attempts = new AtomicInteger();
        static final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Perpetual(period = "1h", timeout = "200ms", retries = 1)
        void spinsOnce(O o) {
            threads.add(Thread.currentThread());
            if (attempts.incrementAndGet() == 1) {
                long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // deaf to interrupts
                }
            }
        }
    }
}

package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.perpetual.Perpetual;
import dev.perpetual.daemon.PerpetualDaemon;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code --once} stopped by SIGTERM or SIGINT, which interrupt the thread running it (see
 * {@link dev.perpetual.daemon.internal.cli.Signals}).
 */
class OnceStoppedTest {

    @Test
    void a_stopped_once_records_the_cut_off_run_names_the_tests_not_run_and_does_not_pass_the_gate() throws Exception {
        StoppedTestCase.started = new CountDownLatch(1);
        try (TestDaemon daemon = TestDaemon.of(List.of("--config", "perpetual.daemon.max-concurrent-runs=1",
                "--select-method", StoppedTestCase.class.getName() + "#blocks", "--select-method",
                StoppedTestCase.class.getName() + "#passes"))) {
            Thread[] runner = new Thread[1];
            CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> {
                runner[0] = Thread.currentThread();
                try {
                    return daemon.daemon.runOnce(Duration.ofMillis(200));
                }
                catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(StoppedTestCase.started.await(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> runner[0] != null);
            runner[0].interrupt(); // what SIGTERM does

            assertThat(exitCode.get(30, TimeUnit.SECONDS)).isEqualTo(PerpetualDaemon.EXIT_TESTS_FAILED);
            assertThat(daemon.runs("StoppedTestCase.blocks")).singleElement().satisfies(run -> {
                assertThat(run.outcome()).isEqualTo(Outcome.ABORTED);
                assertThat(run.message()).isEqualTo("cut off by shutdown: still running after the grace period "
                        + "of 200ms");
            });
            assertThat(daemon.runs("StoppedTestCase.passes")).isEmpty();
            assertThat(daemon.console()).contains("Perpetual --once: 2 tests, stopped before all had passed "
                    + "(1 aborted, 1 not run)").contains("Stopped by a signal: not run: StoppedTestCase.passes");
        }
    }

    @TestMethodOrder(MethodOrderer.MethodName.class) // blocks, then passes
    static class StoppedTestCase {

        static CountDownLatch started;

        @Perpetual(period = "1m", timeout = "1m")
        void blocks() throws InterruptedException {
            started.countDown();
            Thread.sleep(60_000);
        }

        @Perpetual(period = "1m", timeout = "1m")
        void passes() {
        }
    }
}

package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void runsThatFinishWithinTheGraceAreRecordedNormallyAndTheRestAsAborted() throws Exception {
        LongRunsTestCase.started = new CountDownLatch(2);
        TestDaemon daemon = TestDaemon.scheduling(LongRunsTestCase.class);
        try {
            assertThat(LongRunsTestCase.started.await(10, TimeUnit.SECONDS)).isTrue();

            daemon.daemon.shutdown(Duration.ofMillis(500));

            List<RunRecord> quick = daemon.runs("LongRunsTestCase.quick");
            RunRecord slow = only(daemon.runs("LongRunsTestCase.slow"));
            assertThat(quick).isNotEmpty().allSatisfy(run -> assertThat(run.outcome()).isEqualTo(Outcome.PASS));
            assertThat(slow.outcome()).isEqualTo(Outcome.ABORTED);
            assertThat(slow.message()).isEqualTo("cut off by shutdown: still running after the grace period of 500ms");
            assertThat(daemon.daemon.isReady()).isFalse();
            Thread.sleep(300); // no tick starts a run after the shutdown
            assertThat(daemon.runs("LongRunsTestCase.quick")).hasSize(quick.size());
        }
        finally {
            daemon.close();
        }
    }

    @Test
    void aStoppedDaemonNoLongerServesItsPort() throws Exception {
        TestDaemon daemon = TestDaemon.scheduling(LongRunsTestCase.class);
        int port = daemon.daemon.port();
        daemon.daemon.shutdown(Duration.ZERO);
        await().untilAsserted(() -> assertThat(portIsFree(port)).isTrue());
    }

    private static boolean portIsFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
            return true;
        }
        catch (java.io.IOException e) {
            return false;
        }
    }

    private static RunRecord only(List<RunRecord> runs) {
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    static class LongRunsTestCase {
        static volatile CountDownLatch started = new CountDownLatch(0);

        @Perpetual(period = "1s", timeout = "1m")
        void quick() throws InterruptedException {
            started.countDown();
            Thread.sleep(200);
        }

        @Perpetual(period = "1s", timeout = "1m")
        void slow() throws InterruptedException {
            started.countDown();
            Thread.sleep(30_000);
        }
    }
}

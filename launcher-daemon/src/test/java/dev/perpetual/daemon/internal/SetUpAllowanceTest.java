package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.PerpetualDaemon;
import dev.perpetual.daemon.internal.cli.DaemonCommand;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Under the daemon, a test's timeout starts with its test method, as under {@code mvn test}: a run's set-up (the test
 * class's {@code @BeforeAll}, the test instance and what prepares it, such as a Spring context's first build) has an
 * allowance of its own, {@code perpetual.timeout.setup}, so the first run after a start is not recorded as a timeout
 * because the context took longer than the test's timeout.
 */
class SetUpAllowanceTest {

    @Test
    void aSetUpLongerThanTheTimeoutDoesNotCountAgainstIt() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), SlowSetUpTestCase.class)) {
            int exitCode = daemon.daemon.runOnce();

            assertThat(exitCode).as(daemon.console()).isZero();
            RunRecord record = daemon.runs("SlowSetUpTestCase.answers").get(0);
            assertThat(record.outcome()).isEqualTo(Outcome.PASS);
            assertThat(record.duration()).as("the run, its set-up included")
                    .isGreaterThanOrEqualTo(SlowSetUpTestCase.SET_UP);
        }
    }

    @Test
    void aSetUpThatOutlastsItsAllowanceIsRecordedAsTimeoutNamingTheKey() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of("--config", "perpetual.timeout.setup=500ms"),
                StuckSetUpTestCase.class)) {
            daemon.daemon.runOnce();

            RunRecord record = daemon.runs("StuckSetUpTestCase.neverReached").get(0);
            assertThat(record.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(record.message()).isEqualTo("StuckSetUpTestCase.neverReached's set-up took longer than 500ms "
                    + "(perpetual.timeout.setup), before its test method started (in a @BeforeAll, the test class's "
                    + "constructor or an extension preparing the instance, such as a Spring context's first build); "
                    + "its thread did not return and is abandoned");
            assertThat(record.stack()).contains("StuckSetUpTestCase.connect");
            assertThat(record.duration()).isBetween(Duration.ofMillis(500), Duration.ofMillis(2000));
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample("perpetual_threads_stuck") == 0.0);
        }
    }

    @Test
    void aBadAllowanceIsAProblemAtStartNamingTheKeyTheValueAndTheAcceptedForms() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = DaemonCommand.execute(new String[] {"--select-class", SlowSetUpTestCase.class.getName(),
                "--config", "perpetual.timeout.setup=a while"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Perpetual found 1 problem; nothing was run:",
                "  - Invalid configuration parameter perpetual.timeout.setup = [a while]: expected a duration such as "
                        + "500ms, 30s, 5m, 1h, 1h30m or PT30S (units ns, us, ms, s, m, h, d; a bare number means "
                        + "seconds), above zero: how long a run's set-up (@BeforeAll, the test instance, a Spring "
                        + "context's first build) may take before its test method starts (default 5m)");
    }

    static class SlowSetUpTestCase {

        static final Duration SET_UP = Duration.ofMillis(1500);

        /** Stands for a Spring context's first build: longer than the timeout and its grace (100ms + 1s). */
        @BeforeAll
        static void buildContext() throws InterruptedException {
            Thread.sleep(SET_UP.toMillis());
        }

        @Perpetual(period = "1h", timeout = "100ms")
        void answers(O o) {
            o.log("the context is up");
        }
    }

    static class StuckSetUpTestCase {

        /** Deaf to interrupts for 2.5 s, then returns: the watchdog abandons it at the allowance. */
        @BeforeAll
        static void connect() {
            long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException e) {
                    // deaf to interrupts
                }
            }
        }

        @Perpetual(period = "1h", timeout = "10s")
        void neverReached() {
        }
    }
}

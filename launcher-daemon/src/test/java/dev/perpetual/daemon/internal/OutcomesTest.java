package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.atIndex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.PerpetualDaemon;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutcomesTest {

    @Test
    void everyRunEndsInExactlyOneRecordAndOneObservationWithItsOutcome() throws Exception {
        OutcomesTestCase.attempts.set(0);
        try (TestDaemon daemon = TestDaemon.of(List.of(), OutcomesTestCase.class)) {
            int exitCode = daemon.daemon.runOnce();

            assertThat(exitCode).isEqualTo(PerpetualDaemon.EXIT_TESTS_FAILED);
            assertOutcome(daemon, "OutcomesTestCase.passes", Outcome.PASS);
            assertThat(assertOutcome(daemon, "OutcomesTestCase.fails", Outcome.FAIL).message())
                    .isEqualTo("status ==> expected: <200> but was: <500>");
            assertThat(assertOutcome(daemon, "OutcomesTestCase.errors", Outcome.ERROR).message())
                    .isEqualTo("probe misconfigured");
            assertThat(assertOutcome(daemon, "OutcomesTestCase.blocks", Outcome.TIMEOUT).stack())
                    .as("the test thread's stack at the timeout").contains("OutcomesTestCase.blocks");
            assertThat(assertOutcome(daemon, "OutcomesTestCase.spins", Outcome.TIMEOUT).stack())
                    .contains("OutcomesTestCase.spins");
            assertThat(assertOutcome(daemon, "OutcomesTestCase.aborts", Outcome.ABORTED).message())
                    .contains("not in this region");
            RunRecord flaky = assertOutcome(daemon, "OutcomesTestCase.flaky", Outcome.FLAKY);
            assertThat(flaky.attempts()).isEqualTo(2);
            assertThat(flaky.message()).isEqualTo("passed on attempt 2 of 3; attempt 1: fail first attempt fails");
            assertThat(assertOutcome(daemon, "OutcomesTestCase.throwsAnError", Outcome.ERROR).message())
                    .isEqualTo("simulated");
            RunRecord flood = assertOutcome(daemon, "OutcomesTestCase.floodsItsLog", Outcome.PASS);
            // The first 500 lines, the gap, the last 500.
            assertThat(flood.logLines()).hasSize(1001).contains("… 99000 lines (957 KiB) left out …", atIndex(500));
            assertThat(flood.droppedLogLines()).isEqualTo(99_000);

            assertThat(daemon.console()).contains("PASS  OutcomesTestCase.passes  ")
                    .contains("FAIL  OutcomesTestCase.fails  ").contains("ms  status ==> expected: <200> but was: <500>")
                    .contains("Perpetual --once: 9 tests, 5 failed (2 pass, 1 flaky, 1 fail, 2 error, 2 timeout, "
                            + "1 aborted)");
        }
    }

    @Test
    void anArtifactsFolderPublishedAsAReportEntryIsKeptWithTheRunsRecord() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), ArtifactsTestCase.class)) {
            daemon.daemon.runOnce();

            RunRecord run = assertOutcome(daemon, "ArtifactsTestCase.failsWithAScreenshot", Outcome.FAIL);
            assertThat(run.artifacts()).isEqualTo("/var/lib/perpetual/artifacts/run-1");
            assertThat(run.message()).as("the message is the test's own").isEqualTo("title ==> expected: <Shop> "
                    + "but was: <Error>");
        }
    }

    /** As selenium-probes' extension does on a failure: it names the run's artifacts folder in a report entry. */
    static class PublishesArtifacts implements org.junit.jupiter.api.extension.TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(org.junit.jupiter.api.extension.ExtensionContext context,
                Throwable failure) throws Throwable {
            context.publishReportEntry("perpetual.browser.artifacts", "/var/lib/perpetual/artifacts/run-1");
            throw failure;
        }
    }

    @org.junit.jupiter.api.extension.ExtendWith(PublishesArtifacts.class)
    static class ArtifactsTestCase {
        @Perpetual(period = "1h", timeout = "5s")
        void failsWithAScreenshot() {
            assertEquals("Shop", "Error", "title");
        }
    }

    @Test
    void aMultiLineAssertionMessageIsOneLineWithItsTextOnTheConsoleTheSummaryAndTheApi() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), MultiLineTestCase.class)) {
            daemon.daemon.runOnce();

            RunRecord run = assertOutcome(daemon, "MultiLineTestCase.assertsWithAssertJ", Outcome.FAIL);
            assertThat(run.message()).as("AssertJ's own message, whole").startsWith("[cart] \nExpecting actual:\n");
            String oneLine = "[cart] Expecting actual: \"2 items\" to contain: \"3 items\"";
            assertThat(run.oneLineMessage()).isEqualTo(oneLine);
            assertThat(daemon.console()).contains("FAIL  MultiLineTestCase.assertsWithAssertJ  ")
                    .contains("ms  " + oneLine + "\n").contains("FAIL    MultiLineTestCase.assertsWithAssertJ  "
                            + oneLine);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(daemon.get("/api/tests").body())
                    .path("tests").get(0).path("lastFailure").path("message").asText()).isEqualTo(oneLine);
        }
    }

    static class MultiLineTestCase {
        @Perpetual(period = "1h", timeout = "5s")
        void assertsWithAssertJ() {
            assertThat("2 items").as("cart").contains("3 items");
        }
    }

    @Test
    void aTestWhoseThreadIgnoresTheTimeoutIsCountedAsStuckUntilItReturns() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of("--select-method",
                OutcomesTestCase.class.getName() + "#spins"))) {
            daemon.daemon.runOnce();
            assertOutcome(daemon, "OutcomesTestCase.spins", Outcome.TIMEOUT);
            assertThat(daemon.sample("perpetual_threads_stuck")).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample("perpetual_threads_stuck") == 0.0);
        }
    }

    @Test
    void aFailingBeforeAllStillYieldsOneRecordFromJUnitsResult() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), BeforeAllFailsTestCase.class)) {
            daemon.daemon.runOnce();
            RunRecord record = assertOutcome(daemon, "BeforeAllFailsTestCase.neverReached", Outcome.ERROR);
            assertThat(record.message()).isEqualTo("no connection");
        }
    }

    @Test
    void aRunStuckOutsideTheTestMethodIsRecordedAsTimeoutByTheWatchdogAndItsThreadCounted() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), StuckBeforeEachTestCase.class)) {
            daemon.daemon.runOnce();
            RunRecord record = assertOutcome(daemon, "StuckBeforeEachTestCase.neverReached", Outcome.TIMEOUT);
            assertThat(record.message()).isEqualTo("StuckBeforeEachTestCase.neverReached timed out after 100ms, "
                    + "outside the test method (in a @BeforeEach, @AfterEach or extension); its thread did not return "
                    + "and is abandoned");
            assertThat(record.stack()).contains("StuckBeforeEachTestCase.stuck");
            assertThat(record.duration()).isBetween(Duration.ofMillis(1100), Duration.ofMillis(3000));
            assertThat(daemon.sample("perpetual_threads_stuck")).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample("perpetual_threads_stuck") == 0.0);
            assertThat(daemon.runs("StuckBeforeEachTestCase.neverReached")).hasSize(1);
        }
    }

    private static RunRecord assertOutcome(TestDaemon daemon, String test, Outcome outcome) throws Exception {
        List<RunRecord> runs = daemon.runs(test);
        assertThat(runs).as("records of %s", test).hasSize(1);
        assertThat(runs.get(0).outcome()).as("outcome of %s: %s", test, runs.get(0).message()).isEqualTo(outcome);
        String scraped = daemon.scrape();
        double observations = 0;
        for (String line : scraped.split("\n")) {
            if (line.startsWith("perpetual_run_seconds_count{") && line.contains("test=\"" + test + "\"")) {
                observations += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertThat(observations).as("observations of %s", test).isEqualTo(1.0);
        return runs.get(0);
    }

    static class OutcomesTestCase {
        static final AtomicInteger attempts = new AtomicInteger();

        @Perpetual(period = "1h")
        void passes() {
        }

        @Perpetual(period = "1h")
        void fails() {
            assertEquals(200, 500, "status");
        }

        @Perpetual(period = "1h")
        void errors() {
            throw new IllegalStateException("probe misconfigured");
        }

        @Perpetual(period = "1h", timeout = "200ms")
        void blocks() throws InterruptedException {
            Thread.sleep(60_000);
        }

        @Perpetual(period = "1h", timeout = "200ms")
        void spins() {
            long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // deaf to interrupts
            }
        }

        @Perpetual(period = "1h")
        void aborts() {
            Assumptions.assumeTrue(false, "not in this region");
        }

        @Perpetual(period = "1h", retries = 2)
        void flaky() {
            if (attempts.incrementAndGet() < 2) {
                throw new AssertionError("first attempt fails");
            }
        }

        @Perpetual(period = "1h")
        void throwsAnError() {
            throw new OutOfMemoryError("simulated");
        }

        @Perpetual(period = "1h")
        void floodsItsLog(O o) {
            for (int i = 0; i < 100_000; i++) {
                o.log("line %d", i);
            }
        }
    }

    static class BeforeAllFailsTestCase {
        @BeforeAll
        static void connect() {
            throw new IllegalStateException("no connection");
        }

        @Perpetual(period = "1h")
        void neverReached() {
        }
    }

    static class StuckBeforeEachTestCase {
        @BeforeEach
        void stuck() {
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

        @Perpetual(period = "1h", timeout = "100ms")
        void neverReached() {
        }
    }
}

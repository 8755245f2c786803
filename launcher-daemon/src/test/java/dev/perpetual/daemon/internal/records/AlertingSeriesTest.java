package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.Test;

class AlertingSeriesTest {

    @Test
    void eachDependencyIsOneInfoSeriesATestWithoutOneHasAnEmptyDependsOnAndOnlyObjectivesAreExported()
            throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), DescribedTestCase.class)) {
            String type = DescribedTestCase.class.getName();
            List<String> lines = daemon.scrape().lines()
                    .filter(line -> line.startsWith("perpetual_test_info") || line.startsWith("perpetual_test_objective"))
                    .sorted().toList();
            assertThat(lines).containsExactly(
                    "perpetual_test_info{class=\"" + type + "\",depends_on=\"\",test=\"Api.isUp\"} 1",
                    "perpetual_test_info{class=\"" + type + "\",depends_on=\"\",test=\"Login.works\"} 1",
                    "perpetual_test_info{class=\"" + type + "\",depends_on=\"Api.isUp\",test=\"Checkout.order\"} 1",
                    "perpetual_test_info{class=\"" + type + "\",depends_on=\"Login.works\",test=\"Checkout.order\"} 1",
                    "perpetual_test_objective_ratio{test=\"Checkout.order\"} 0.995");
            assertThat(daemon.scrape()).as("no scheduler, no heartbeat")
                    .doesNotContain("perpetual_scheduler_heartbeat_timestamp_seconds");
        }
    }

    @Test
    void theSchedulingLoopSetsItsHeartbeatOnEachTickAndNothingElseMovesIt() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(EveryThreeSecondsTestCase.class)) {
            String heartbeat = "perpetual_scheduler_heartbeat_timestamp_seconds";
            List<Double> beats = new java.util.concurrent.CopyOnWriteArrayList<>();
            await("three ticks").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                double seconds = daemon.sample(heartbeat);
                if (!Double.isNaN(seconds) && (beats.isEmpty() || beats.get(beats.size() - 1) != seconds)) {
                    beats.add(seconds);
                }
                return beats.size() >= 4; // the start, then three ticks
            });
            assertThat(Math.abs(Instant.now().toEpochMilli() / 1000.0 - beats.get(3))).isLessThan(10);
            // One test every 3 seconds: the heartbeat moves with its ticks, never with a timer of its own.
            for (int n = 2; n < beats.size(); n++) {
                assertThat(beats.get(n) - beats.get(n - 1)).as("%s", beats).isGreaterThan(2.0);
            }
        }
    }

    static class DescribedTestCase {
        @Perpetual(period = "1h", name = "Api.isUp")
        void api() {
        }

        @Perpetual(period = "1h", name = "Login.works")
        void login() {
        }

        @Perpetual(period = "1h", name = "Checkout.order", dependsOn = { "Api.isUp", "Login.works" },
                objective = "99.5%")
        void checkout() {
        }
    }

    static class EveryThreeSecondsTestCase {
        @Perpetual(period = "3s")
        void slow() {
        }
    }
}

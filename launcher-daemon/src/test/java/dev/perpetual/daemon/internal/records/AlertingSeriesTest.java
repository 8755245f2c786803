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
    void theSchedulingLoopSetsItsHeartbeatOnEveryPass() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(FastTestCase.class)) {
            String heartbeat = "perpetual_scheduler_heartbeat_timestamp_seconds";
            double first = await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample(heartbeat),
                    seconds -> !seconds.isNaN());
            assertThat(Math.abs(Instant.now().toEpochMilli() / 1000.0 - first)).isLessThan(5);
            await("a later tick moves it").atMost(Duration.ofSeconds(10))
                    .until(() -> daemon.sample(heartbeat), seconds -> seconds > first);
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

    static class FastTestCase {
        @Perpetual(period = "100ms")
        void quick() {
        }
    }
}

package dev.perpetual.daemon;

import static dev.perpetual.daemon.HostileTestsIT.get;
import static dev.perpetual.daemon.HostileTestsIT.outcomes;
import static dev.perpetual.daemon.HostileTestsIT.sample;
import static dev.perpetual.daemon.HostileTestsIT.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The real jar with {@code perpetual.workers=2}: the runs are spread over both workers, which share one webhook port,
 * and every delivery reaches the run that expects it, whichever worker the kernel handed its connection to.
 */
class SharedWorkersIT {

    private static final String FIXTURES = "dev.perpetual.daemon.fixtures.";
    private static final String PROBE = "SharedPortWebhookE2E.receivesEveryDelivery";

    @Test
    void twoWorkersShareTheRunsAndOneWebhookPortAndEveryDeliveryReachesItsRun() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", "--select-class", FIXTURES + "SharedPortWebhookE2E",
                "--select-method", FIXTURES + "HealthCheckE2E#healthy(dev.perpetual.O)",
                "--config", "perpetual.workers=2")) {
            int port = jar.awaitPort();
            await().atMost(Duration.ofSeconds(90)).until(() -> outcomes(port, PROBE).size() >= 12);

            assertThat(outcomes(port, PROBE)).as("runs that each took 8 deliveries on new connections")
                    .containsOnly("pass");
            List<JsonNode> shared = new ArrayList<>();
            get(port, "/api/workers").get("workers").forEach(worker -> {
                if (worker.get("test").isNull()) {
                    shared.add(worker);
                }
            });
            assertThat(shared).as("shared workers").hasSize(2)
                    .allSatisfy(worker -> assertThat(worker.get("runs").asLong()).as("runs handed").isPositive());
            String metrics = scrape(port);
            assertThat(sample(metrics, "perpetual_worker_up")).isEqualTo(2.0);
            assertThat(sample(metrics, "perpetual_webhook_routed_total{result=\"forwarded\"}"))
                    .as("deliveries that reached the other worker").isPositive();
            assertThat(jar.output).noneMatch(line -> line.contains("Cannot serve webhooks"));
        }
    }
}

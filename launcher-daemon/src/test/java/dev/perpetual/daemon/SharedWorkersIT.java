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
 * The real jar handing runs between workers: with {@code perpetual.workers=2}, the runs are spread over both, which
 * share one webhook port, and every delivery reaches the run that expects it, whichever worker the kernel handed its
 * connection to; and a recycle a clock decides finds its successor already up.
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

    @Test
    void aScheduledRecycleHandsTheRunsToASuccessorStartedAheadOfIt() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", "--select-method",
                FIXTURES + "HealthCheckE2E#healthy(dev.perpetual.O)", "--config", "perpetual.worker.recycle-after=8s")) {
            int port = jar.awaitPort();
            await().atMost(Duration.ofSeconds(60)).until(() -> jar.output.stream().anyMatch(line -> line.matches(
                    "Recycling worker 1 \\(pid \\d+\\): it ran for 8s \\(perpetual.worker.recycle-after\\); "
                            + "worker 2 \\(pid \\d+\\), started ahead of it, takes over")));
            assertThat(jar.output).anyMatch(line -> line.matches("Starting worker 2 ahead of recycling worker 1 "
                    + "\\(pid \\d+\\): it nears 8s \\(perpetual.worker.recycle-after\\)"));
            await().atMost(Duration.ofSeconds(10)).until(() -> runsOf(port, 2) > 0);
            // The test's run count, not its kept records: 100 are kept, as many as 20 s of this test's runs.
            long runs = runsOf(port, "HealthCheckE2E.healthy");
            await().atMost(Duration.ofSeconds(10)).until(() -> runsOf(port, "HealthCheckE2E.healthy") >= runs + 3);
            assertThat(outcomes(port, "HealthCheckE2E.healthy")).as("no run lost or aborted in the hand-over")
                    .containsOnly("pass");
        }
    }

    /** The runs of {@code test} recorded since the start, from {@code /api/tests}. */
    private static long runsOf(int port, String test) throws Exception {
        for (JsonNode view : get(port, "/api/tests").get("tests")) {
            if (view.get("name").asText().equals(test)) {
                return view.get("runs").asLong();
            }
        }
        throw new AssertionError(test + " is not in /api/tests");
    }

    /** The runs worker {@code number} took, from {@code /api/workers}; 0 while it is not listed. */
    private static long runsOf(int port, int number) throws Exception {
        for (JsonNode worker : get(port, "/api/workers").get("workers")) {
            if (worker.get("number").asInt() == number) {
                return worker.get("runs").asLong();
            }
        }
        return 0;
    }
}

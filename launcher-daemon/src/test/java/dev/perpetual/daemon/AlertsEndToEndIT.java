package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One root cause pages once, end to end: the shaded jar runs a tracking API probe that fails and two probes that
 * depend on it and fail with it (every second); Debian's {@code prometheus} scrapes it and evaluates the shipped rules
 * every second; Debian's {@code prometheus-alertmanager} runs the shipped configuration ({@code ops/alertmanager}),
 * with only its pager URL and its timings changed; a real HTTP server stands in for the pager.
 */
class AlertsEndToEndIT {

    private static final String NAME = "alerts-e2e-it";
    private static final String FIXTURE = "dev.perpetual.daemon.fixtures.TrackingDependencyE2E";
    private static final String API = "TrackingApiProbe.apiIsUp";
    private static final String EVENT = "TrackedEventProbe.eventArrives";
    private static final String PROFILE = "ProfileProbe.profileUpdates";
    private static final String FAILING = "PerpetualTestFailing";

    @TempDir
    Path dir;

    @Test
    void theFailingDependencyPagesOnceAndItsFailingDependantsPageOnlyOnceItPasses() throws Exception {
        Path apiUp = dir.resolve("tracking-api-up");
        DaemonJar daemon = DaemonJar.start("1s", "--select-class", FIXTURE, "--config",
                "perpetual.env.tracking-api-up=" + apiUp);
        try (PagerReceiver pager = PagerReceiver.start();
                AlertmanagerServer alertmanager = AlertmanagerServer.start(dir.resolve("alertmanager"), NAME,
                        shippedConfiguration(pager.url()));
                PrometheusServer prometheus = PrometheusServer.start(dir, NAME, daemon.awaitPort(), List.of(
                        "alerting:",
                        "  alertmanagers:",
                        "    - static_configs:",
                        "        - targets: ['127.0.0.1:" + alertmanager.port() + "']"))) {

            await("the dependency's page").atMost(Duration.ofSeconds(90))
                    .until(() -> pager.firing(FAILING, API).size() == 1);
            await("the dependants fail too: their alerts fire, and Alertmanager holds them")
                    .atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                        for (String dependant : List.of(EVENT, PROFILE)) {
                            assertThat(prometheus.state(FAILING, dependant)).as(dependant).isEqualTo("firing");
                            JsonNode held = alertmanager.alert(FAILING, dependant);
                            assertThat(held.at("/status/state").asText()).as(dependant).isEqualTo("suppressed");
                            assertThat(held.at("/status/inhibitedBy")).as(dependant).isNotEmpty();
                        }
                    });
            await("nothing else pages while the dependency fails").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> pager.pages().stream().allMatch(page -> page.test().equals(API)));
            assertThat(pager.pages()).as("the one page so far").hasSize(1);
            assertThat(prometheus.value("perpetual_run_seconds_count{test=\"" + EVENT + "\",outcome=\"fail\"}"))
                    .as("the dependants' runs are still made and counted").isGreaterThanOrEqualTo(3);

            Instant recovered = Instant.now();
            Files.writeString(apiUp, "up", StandardCharsets.UTF_8);

            await("the dependants' pages, once the dependency passes").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        assertThat(pager.firing(FAILING, EVENT)).hasSize(1);
                        assertThat(pager.firing(FAILING, PROFILE)).hasSize(1);
                    });
            assertThat(pager.firing(FAILING, EVENT).get(0).received()).isAfter(recovered);
            assertThat(pager.firing(FAILING, PROFILE).get(0).received()).isAfter(recovered);
            await("the dependency's page resolves").atMost(Duration.ofSeconds(60))
                    .until(() -> pager.pages().stream().anyMatch(page -> page.test().equals(API)
                            && page.status().equals("resolved")));
            assertThat(pager.pages().stream().filter(page -> page.status().equals("firing")).map(page ->
                    page.alertname() + " " + page.test()).toList()).as(pager.pages().toString())
                    .containsExactlyInAnyOrder(FAILING + " " + API, FAILING + " " + EVENT, FAILING + " " + PROFILE);
            assertThat(prometheus.value("perpetual_scheduler_heartbeat_timestamp_seconds"))
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30.0));
            assertThat(prometheus.state("PerpetualSchedulerStalled", "")).isNull();
            assertThat(prometheus.unhealthyRules()).as("rules that failed to evaluate").isEmpty();
        }
        finally {
            daemon.close();
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", NAME + "-daemon.log"), String.join("\n", daemon.output));
        }
    }

    /** {@code ops/alertmanager/alertmanager.yml} with the pager at {@code url} and timings of seconds. */
    private static String shippedConfiguration(String url) throws Exception {
        Path shipped = Path.of(System.getProperty("perpetual.alertmanager.config",
                "../ops/alertmanager/alertmanager.yml")).toAbsolutePath().normalize();
        String config = Files.readString(shipped, StandardCharsets.UTF_8);
        for (String[] change : new String[][] {
                { "url: http://pager.example.internal:9095/perpetual", "url: " + url },
                { "group_wait: 30s", "group_wait: 1s" },
                { "group_interval: 5m", "group_interval: 1s" },
                { "repeat_interval: 4h", "repeat_interval: 1h" } }) {
            assertThat(config).as("the shipped configuration holds what the test changes").contains(change[0]);
            config = config.replace(change[0], change[1]);
        }
        return config;
    }
}

package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real scrape: Debian's {@code prometheus} scrapes the shaded jar running the fixture project (one passing, one
 * always failing probe, every 200ms) every second, evaluates the shipped rules ({@code ops/prometheus}) every second,
 * and its HTTP API shows the series and the failing probe's alerts.
 */
class PrometheusScrapeIT {

    private static final String FAILING = "checkout.confirmation";
    private static final String PASSING = "HealthCheckE2E.healthy";

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheDaemonAndTheFailingProbesAlertsBecomeActive() throws Exception {
        assertThat(PrometheusServer.rules()).exists();

        DaemonJar daemon = DaemonJar.start("1s");
        try (PrometheusServer prometheus = PrometheusServer.start(dir, "prometheus-scrape-it", daemon.awaitPort(),
                List.of())) {
            await("the series arrive").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(prometheus.value("perpetual_run_seconds_count{test=\"" + FAILING + "\",outcome=\"fail\"}"))
                        .isGreaterThan(0);
                assertThat(prometheus.value("perpetual_run_seconds_count{test=\"" + PASSING + "\",outcome=\"pass\"}"))
                        .isGreaterThan(0);
                assertThat(prometheus.value("perpetual_test_last_success{test=\"" + FAILING + "\"}")).isEqualTo(0);
                assertThat(prometheus.value("perpetual_test_last_success{test=\"" + PASSING + "\"}")).isEqualTo(1);
            });

            await("the failing probe's alerts").atMost(Duration.ofSeconds(45)).ignoreExceptions().untilAsserted(() -> {
                assertThat(prometheus.state("PerpetualTestFailing", FAILING)).as("no for: it fires at once")
                        .isEqualTo("firing");
                assertThat(prometheus.state("PerpetualTestFailureRatioHigh", FAILING)).as("for: 15m")
                        .isEqualTo("pending");
            });
            assertThat(prometheus.state("PerpetualTestFailing", PASSING)).isNull();
            assertThat(prometheus.state("PerpetualTestFailureRatioHigh", PASSING)).isNull();
            assertThat(prometheus.unhealthyRules()).as("rules that failed to evaluate").isEmpty();
        }
        finally {
            daemon.close();
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "prometheus-scrape-it-daemon.log"), String.join("\n", daemon.output));
        }
    }
}

package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Starts the real shaded jar on a small test project, scrapes its metrics over HTTP, and stops it with SIGTERM. */
class DaemonJarIT {

    @Test
    void theShadedJarRunsATestProjectServesItsMetricsAndStopsCleanlyOnSigterm() throws Exception {
        DaemonJar jar = DaemonJar.start("2s");
        Process daemon = jar.process;
        List<String> output = jar.output;
        try {
            int port = jar.awaitPort();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build();
            String passing = "perpetual_run_seconds_count{class=\"dev.perpetual.daemon.fixtures.HealthCheckE2E\","
                    + "outcome=\"pass\",test=\"HealthCheckE2E.healthy\"} ";
            String failing = "perpetual_run_seconds_count{class=\"dev.perpetual.daemon.fixtures.HealthCheckE2E\","
                    + "outcome=\"fail\",test=\"checkout.confirmation\"} ";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
                assertThat(count(metrics, passing)).isGreaterThanOrEqualTo(2);
                assertThat(count(metrics, failing)).isGreaterThanOrEqualTo(2);
                assertThat(metrics).contains("perpetual_test_last_success{test=\"checkout.confirmation\"} 0.0");
            });
            assertThat(output).anyMatch(line -> line.startsWith("PASS  HealthCheckE2E.healthy  "))
                    .anyMatch(line -> line.startsWith("FAIL  checkout.confirmation  ")
                            && line.endsWith("ms  status ==> expected: <200> but was: <500>"));

            // SIGTERM, without Process.destroy(), which also closes the output still to be read.
            new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).inheritIO().start().waitFor();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isEqualTo(PerpetualDaemon.EXIT_OK);
            jar.reader.join(5_000);
            assertThat(output).contains("Stopped");
        }
        finally {
            daemon.destroyForcibly();
            Files.writeString(Path.of("target", "daemon-jar-it.log"), String.join("\n", output));
        }
    }

    private static double count(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).strip()))
                .findFirst().orElse(0);
    }
}

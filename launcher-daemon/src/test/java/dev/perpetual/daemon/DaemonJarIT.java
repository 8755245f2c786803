package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Starts the real shaded jar on a small test project, scrapes its metrics over HTTP, and stops it with SIGTERM. */
class DaemonJarIT {

    private static final Pattern PORT = Pattern.compile("on port (\\d+)");

    @Test
    void theShadedJarRunsATestProjectServesItsMetricsAndStopsCleanlyOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("perpetual.daemon.jar", "target/perpetual-daemon.jar"));
        Path fixtures = Path.of(System.getProperty("perpetual.fixture.classes", "target/fixture-classes"));
        assertThat(jar).exists();
        Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString(), "-cp", fixtures.toString(), "--scan-class-path", "--port", "0",
                "--grace", "2s").redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            }
            catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        try {
            int port = await().atMost(Duration.ofSeconds(60)).until(() -> port(output), p -> p > 0);
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
            reader.join(5_000);
            assertThat(output).contains("Stopped");
        }
        finally {
            daemon.destroyForcibly();
            Files.writeString(Path.of("target", "daemon-jar-it.log"), String.join("\n", output));
        }
    }

    private static int port(List<String> output) {
        for (String line : output) {
            Matcher port = PORT.matcher(line);
            if (port.find()) {
                return Integer.parseInt(port.group(1));
            }
        }
        return 0;
    }

    private static double count(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).strip()))
                .findFirst().orElse(0);
    }
}

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

import dev.perpetual.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Starts the real shaded jar on a small test project, scrapes its metrics over HTTP, and stops it with SIGTERM. */
class DaemonJarIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

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

    @Test
    void onceStoppedBySigtermCutsOffTheRunGoingPrintsTheSummaryAndFailsTheGate() throws Exception {
        DaemonJar jar = DaemonJar.start("1s", "--once", "--select-class", "dev.perpetual.daemon.fixtures.SlowE2E");
        Process daemon = jar.process;
        List<String> output = jar.output;
        try {
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(200))
                    .until(() -> running(jar.awaitPort()));

            new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).inheritIO().start().waitFor();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);
            assertThat(daemon.exitValue()).isEqualTo(PerpetualDaemon.EXIT_TESTS_FAILED);
            assertThat(output).anyMatch(line -> line.startsWith("ABORTED  SlowE2E.slow  ")
                    && line.endsWith("cut off by shutdown: still running after the grace period of 1s"))
                    .contains("Perpetual --once: 1 tests, stopped before all had passed (1 aborted)",
                            "Stopped by a signal");
        }
        finally {
            daemon.destroyForcibly();
            Files.writeString(Path.of("target", "daemon-jar-once-it.log"), String.join("\n", output));
        }
    }

    @Test
    void webhooksRoutedThroughRedisWorkInTheWorkerWhoseClassPathLacksTheRedisClient() throws Exception {
        redis.start();
        try (DaemonJar jar = DaemonJar.start("1s", "--once", "--select-class",
                "dev.perpetual.daemon.fixtures.WebhookE2E", "--config", "perpetual.webhooks.store=redis",
                "--config", "perpetual.redis.uri=" + redis.uri())) {
            assertThat(jar.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);
            assertThat(jar.output).anyMatch(line -> line.startsWith("PASS  WebhookE2E.receives  "))
                    .contains("Perpetual --once: 1 tests, all passed (1 pass)");
            assertThat(jar.process.exitValue()).isZero();
        }
    }

    @Test
    void aTestSelectedByItsNameAloneIsFoundOnTheClassPathAndRunsAlone() throws Exception {
        try (DaemonJar jar = DaemonJar.start("1s", "--once", "--select-test", "HealthCheckE2E.healthy")) {
            assertThat(jar.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);
            assertThat(jar.output).anyMatch(line -> line.startsWith("PASS  HealthCheckE2E.healthy  "))
                    .contains("Perpetual --once: 1 tests, all passed (1 pass)");
            assertThat(jar.process.exitValue()).isZero();
        }
    }

    @Test
    void inProcessIsolationFindsAndRunsTheTestsOfTheUsersClassPath() throws Exception {
        try (DaemonJar jar = DaemonJar.start("1s", "--once", "--select-method",
                "dev.perpetual.daemon.fixtures.HealthCheckE2E#healthy(dev.perpetual.O)", "--config",
                "perpetual.isolation=in-process")) {
            assertThat(jar.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);
            assertThat(jar.output).anyMatch(line -> line.startsWith("PASS  HealthCheckE2E.healthy  "))
                    .contains("Perpetual --once: 1 tests, all passed (1 pass)");
            assertThat(jar.process.exitValue()).isZero();
        }
    }

    /** Whether the daemon's metrics show a run going. */
    private static boolean running(int port) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().anyMatch(line -> line.startsWith("perpetual_runs_in_flight") && line.endsWith(" 1.0"));
    }

    private static double count(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).strip()))
                .findFirst().orElse(0);
    }
}

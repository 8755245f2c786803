package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the shaded jar and a forked worker: a secret given with {@code --config} and one given to the worker's JVM
 * as {@code -D} (in {@code perpetual.worker.jvm-args}) are {@code ****} on the console, in the JSON log, in the
 * {@code --once} summary and in the JUnit XML report (the run's printed output included); a meter a test tags with
 * a secret is {@code ****} on {@code /metrics}.
 */
class SecretsIT {

    static final String TOKEN = "tok-from-config-91c2";
    static final String PASSWORD = "pw-from-dash-d-7d41";
    static final String MESSAGE = "the shop refused token **** and password ****";

    @Test
    void theConsoleTheSummaryAndTheReportOfTheJarShowTheSecretsAsStars(@TempDir Path reports) throws Exception {
        try (DaemonJar jar = DaemonJar.start("5s", "--once", "--select-class",
                "dev.perpetual.daemon.fixtures.SecretsE2E", "--config", "shop.token=" + TOKEN, "--config",
                "perpetual.worker.jvm-args=-Xmx256m -XX:+ExitOnOutOfMemoryError -Dshop.password=" + PASSWORD,
                "--reports-dir", reports.toString())) {
            assertThat(jar.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);

            assertThat(jar.output).anyMatch(line -> line.startsWith("FAIL  SecretsE2E.leaks  ")
                    && line.endsWith("ms  " + MESSAGE)).contains("  FAIL    SecretsE2E.leaks  " + MESSAGE);
            String xml = Files.readString(reports.resolve("TEST-dev.perpetual.daemon.fixtures.SecretsE2E.xml"),
                    StandardCharsets.UTF_8);
            assertThat(xml).contains(MESSAGE, "Authorization: Bearer **** password ****",
                    "worker stderr in a run: ****");
            assertThat(String.join("\n", jar.output) + xml).doesNotContain(TOKEN, PASSWORD);
        }
    }

    @Test
    void theJsonLogOfTheJarShowsTheSecretsAsStars() throws Exception {
        try (DaemonJar jar = DaemonJar.start("5s", "--once", "--log-format", "json", "--select-class",
                "dev.perpetual.daemon.fixtures.SecretsE2E", "--config", "shop.token=" + TOKEN, "--config",
                "perpetual.worker.jvm-args=-Xmx256m -XX:+ExitOnOutOfMemoryError -Dshop.password=" + PASSWORD)) {
            assertThat(jar.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);

            assertThat(jar.output).anyMatch(line -> line.contains("\"event\":\"run\"")
                    && line.contains("\"message\":\"" + MESSAGE + "\""));
            assertThat(String.join("\n", jar.output)).doesNotContain(TOKEN, PASSWORD);
        }
    }

    @Test
    void aMeterTaggedWithASecretShowsItAsStarsOnMetrics() throws Exception {
        try (DaemonJar jar = DaemonJar.start("5s", "--select-class", "dev.perpetual.daemon.fixtures.SecretMeterE2E",
                "--config", "shop.token=" + TOKEN)) {
            URI metrics = URI.create("http://localhost:" + jar.awaitPort() + "/metrics");
            HttpClient http = HttpClient.newHttpClient();

            String scrape = await().atMost(Duration.ofSeconds(60)).until(() -> http.send(
                    HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body(),
                    body -> body.contains("shop_calls_total{"));

            assertThat(scrape.lines().filter(line -> line.startsWith("shop_calls_total"))).singleElement(STRING)
                    .matches("shop_calls_total\\{test=\"SecretMeterE2E.callsTheShop\",token=\"\\*\\*\\*\\*\"\\} \\d+\\.0");
            assertThat(scrape).doesNotContain(TOKEN);
        }
    }
}

package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real scrape: Debian's {@code prometheus} scrapes the shaded jar running the fixture project (one passing, one
 * always failing probe, every 200ms) every second, evaluates the shipped rules ({@code ops/prometheus}) every second,
 * and its HTTP API shows the series and the failing probe's alerts.
 */
class PrometheusScrapeIT {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String FAILING = "checkout.confirmation";
    private static final String PASSING = "HealthCheckE2E.healthy";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheDaemonAndTheFailingProbesAlertsBecomeActive() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            fail("%s is missing: install Debian's prometheus package (apt-get install prometheus; .ci/run does).",
                    PROMETHEUS);
        }
        Path rules = Path.of(System.getProperty("perpetual.prometheus.rules", "../ops/prometheus/perpetual-rules.yml"))
                .toAbsolutePath().normalize();
        assertThat(rules).exists();

        DaemonJar daemon = DaemonJar.start("1s");
        Process prometheus = null;
        Path prometheusLog = dir.resolve("prometheus.log");
        try {
            int daemonPort = daemon.awaitPort();

            int port = freePort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "  evaluation_interval: 1s",
                    "rule_files:",
                    "  - " + rules,
                    "scrape_configs:",
                    "  - job_name: perpetual",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + daemonPort + "']",
                    ""));
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn").redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
            String api = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> get(api + "/-/ready").statusCode() == 200);

            await("the series arrive").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(value(api, "perpetual_run_seconds_count{test=\"" + FAILING + "\",outcome=\"fail\"}"))
                        .isGreaterThan(0);
                assertThat(value(api, "perpetual_run_seconds_count{test=\"" + PASSING + "\",outcome=\"pass\"}"))
                        .isGreaterThan(0);
                assertThat(value(api, "perpetual_test_last_success{test=\"" + FAILING + "\"}")).isEqualTo(0);
                assertThat(value(api, "perpetual_test_last_success{test=\"" + PASSING + "\"}")).isEqualTo(1);
            });

            await("the failing probe's alerts").atMost(Duration.ofSeconds(45)).ignoreExceptions().untilAsserted(() -> {
                JsonNode alerts = json.readTree(get(api + "/api/v1/alerts").body()).at("/data/alerts");
                assertThat(state(alerts, "PerpetualTestFailing", FAILING)).as("no for: it fires at once")
                        .isEqualTo("firing");
                assertThat(state(alerts, "PerpetualTestFailureRatioHigh", FAILING)).as("for: 15m")
                        .isEqualTo("pending");
            });
            JsonNode alerts = json.readTree(get(api + "/api/v1/alerts").body()).at("/data/alerts");
            assertThat(state(alerts, "PerpetualTestFailing", PASSING)).isNull();
            assertThat(state(alerts, "PerpetualTestFailureRatioHigh", PASSING)).isNull();
            List<String> unhealthy = new ArrayList<>();
            for (JsonNode group : json.readTree(get(api + "/api/v1/rules").body()).at("/data/groups")) {
                for (JsonNode rule : group.get("rules")) {
                    if (!rule.get("health").asText().equals("ok") && !rule.get("health").asText().equals("unknown")) {
                        unhealthy.add(rule.get("name").asText() + ": " + rule.path("lastError").asText());
                    }
                }
            }
            assertThat(unhealthy).as("rules that failed to evaluate").isEmpty();
        }
        finally {
            stop(prometheus);
            daemon.close();
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "prometheus-scrape-it-daemon.log"), String.join("\n", daemon.output));
            if (Files.exists(prometheusLog)) {
                Files.copy(prometheusLog, Path.of("target", "prometheus-scrape-it-prometheus.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The state of the alert {@code name} for {@code test}, or null when it is not active. */
    private static String state(JsonNode alerts, String name, String test) {
        for (JsonNode alert : alerts) {
            if (alert.at("/labels/alertname").asText().equals(name) && alert.at("/labels/test").asText().equals(test)) {
                return alert.get("state").asText();
            }
        }
        return null;
    }

    /** The one sample of an instant query, or NaN when the result is empty. */
    private double value(String api, String query) throws Exception {
        JsonNode result = json.readTree(get(api + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)).body()).at("/data/result");
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).at("/value/1").asText());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

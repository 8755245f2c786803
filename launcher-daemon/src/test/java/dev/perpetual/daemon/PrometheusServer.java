package dev.perpetual.daemon;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's {@code prometheus} on a free port, with the shipped rules ({@code ops/prometheus}, or the system property
 * {@code perpetual.prometheus.rules}), scraping and evaluating every second; its HTTP API read with Jackson.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExternalProcess process;

    private PrometheusServer(ExternalProcess process) {
        this.process = process;
    }

    static Path rules() {
        return Path.of(System.getProperty("perpetual.prometheus.rules", "../ops/prometheus/perpetual-rules.yml"))
                .toAbsolutePath().normalize();
    }

    /**
     * Scrapes the daemon on {@code daemonPort}; {@code alerting} is the configuration's {@code alerting:} section
     * (its lines), or empty. The log is kept as {@code target/<name>-prometheus.log}.
     */
    static PrometheusServer start(Path dir, String name, int daemonPort, List<String> alerting)
            throws IOException, InterruptedException {
        List<String> config = new ArrayList<>(List.of(
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + rules(),
                "scrape_configs:",
                "  - job_name: perpetual",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + daemonPort + "']"));
        config.addAll(alerting);
        Path file = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n", config) + "\n");
        return new PrometheusServer(ExternalProcess.start(dir.resolve("prometheus.log"), name + "-prometheus.log",
                List.of(BINARY.toString(), "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--rules.alert.resend-delay=1s", "--log.level=warn")));
    }

    /** The active alerts ({@code /api/v1/alerts}). */
    JsonNode alerts() throws Exception {
        return JSON.readTree(process.get("/api/v1/alerts").body()).at("/data/alerts");
    }

    /** The state of the alert {@code name} for {@code test}, or null when it is not active. */
    String state(String name, String test) throws Exception {
        for (JsonNode alert : alerts()) {
            if (alert.at("/labels/alertname").asText().equals(name) && alert.at("/labels/test").asText().equals(test)) {
                return alert.get("state").asText();
            }
        }
        return null;
    }

    /** The one sample of an instant query, or NaN when the result is empty. */
    double value(String query) throws Exception {
        String encoded = URLEncoder.encode(query, StandardCharsets.UTF_8);
        JsonNode result = JSON.readTree(process.get("/api/v1/query?query=" + encoded).body()).at("/data/result");
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).at("/value/1").asText());
    }

    /** The rules whose last evaluation failed, with their error. */
    List<String> unhealthyRules() throws Exception {
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode group : JSON.readTree(process.get("/api/v1/rules").body()).at("/data/groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (!rule.get("health").asText().equals("ok") && !rule.get("health").asText().equals("unknown")) {
                    unhealthy.add(rule.get("name").asText() + ": " + rule.path("lastError").asText());
                }
            }
        }
        return unhealthy;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.close();
    }
}

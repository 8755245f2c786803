package dev.perpetual.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The checked files, relative to this module's directory, and readers for them. */
final class OpsFiles {

    static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path PROMETHEUS = MODULE.resolve("prometheus");
    static final Path RULES = PROMETHEUS.resolve("perpetual-rules.yml");
    static final Path RULE_TESTS = PROMETHEUS.resolve("perpetual-rules.test.yml");
    static final Path ALERTMANAGER = MODULE.resolve("alertmanager/alertmanager.yml");
    static final Path DASHBOARD = MODULE.resolve("grafana/perpetual.json");
    static final Path PROVISIONING = MODULE.resolve("grafana/provisioning");
    /** The sample tracking pipeline's own rules, beside the pipeline (docs/tracing.md's example of a service). */
    static final Path SAMPLE_SERVICE_RULES = MODULE.resolveSibling("samples/prometheus/tracking-pipeline-rules.yml");
    static final Path SAMPLE_SERVICE_RULE_TESTS = SAMPLE_SERVICE_RULES.resolveSibling(
            "tracking-pipeline-rules.test.yml");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One rule of the rules file: {@code record} or {@code alert} is its name. */
    record Rule(String name, boolean alert, String expr, JsonNode node) {
    }

    private OpsFiles() {
    }

    static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    static List<Rule> rules() throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : yaml(RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                boolean alert = rule.has("alert");
                rules.add(new Rule(rule.path(alert ? "alert" : "record").asText(), alert, rule.path("expr").asText(),
                        rule));
            }
        }
        return rules;
    }
}

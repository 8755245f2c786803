package dev.perpetual.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrafanaDashboardTest {

    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?}?");

    /** A PromQL query of one panel. */
    record Query(String panel, String refId, String expr) {

        @Override
        public String toString() {
            return "panel [" + panel + "] query " + refId;
        }
    }

    @Test
    void is_a_provisionable_dashboard_with_a_uid_and_the_datasource_test_and_location_variables() throws IOException {
        JsonNode dashboard = dashboard();

        assertThat(dashboard.path("uid").asText()).isEqualTo("perpetual");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        assertThat(dashboard.has("id")).as("a provisioned dashboard carries no database id").isFalse();

        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(variable -> variables.put(variable.path("name").asText(),
                variable));
        assertThat(variables).containsKeys("datasource", "test", "location");
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
        for (String name : List.of("test", "location")) {
            JsonNode variable = variables.get(name);
            assertThat(variable.path("type").asText()).as(name).isEqualTo("query");
            assertThat(variable.path("datasource").path("uid").asText()).as(name).isEqualTo("${datasource}");
            assertThat(variable.path("definition").asText()).as(name)
                    .startsWith("label_values(").endsWith(", " + name + ")");
            assertThat(PromQl.metricNames(variable.path("definition").asText()
                    .replaceFirst("^label_values\\((.*), \\w+\\)$", "$1")))
                    .as(name).allMatch(MetricContract::isExported);
        }
    }

    @Test
    void every_panel_has_a_prometheus_query_through_the_datasource_variable() throws IOException {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel [%s]", title).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as("width of panel [%s]", title).isPositive();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel [%s]", title)
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("targets of panel [%s]", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as("PromQL of panel [%s]", title).isNotBlank();
            }
        }
    }

    @Test
    void every_expression_reads_only_metrics_the_daemon_exports() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (Query query : queries()) {
            for (String name : PromQl.metricNames(query.expr())) {
                if (!MetricContract.isExported(name)) {
                    unknown.add(query + " reads [" + name + "]");
                }
            }
        }

        assertThat(unknown).as("metric names outside the daemon's contract (MetricContract)").isEmpty();
    }

    @Test
    void every_expression_is_valid_promql(@TempDir Path directory) throws Exception {
        List<Map<String, String>> rules = new ArrayList<>();
        List<Query> queries = queries();
        for (int i = 0; i < queries.size(); i++) {
            rules.add(Map.of("record", "dashboard:query_" + i, "expr", withGrafanaVariablesResolved(queries.get(i).expr())));
        }
        Path file = directory.resolve("dashboard-queries.yml");
        OpsFiles.YAML.writeValue(file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));

        Promtool.Result result = Promtool.run(directory, "check", "rules", file.toString());

        assertThat(result.exitCode()).as("the queries numbered in the order of %s%n%s", queries, result.describe())
                .isZero();
    }

    @Test
    void the_provisioning_examples_declare_a_prometheus_datasource_and_a_file_provider() throws IOException {
        JsonNode datasource = OpsFiles.yaml(OpsFiles.PROVISIONING.resolve("datasources/perpetual-prometheus.yml"))
                .path("datasources").path(0);
        JsonNode provider = OpsFiles.yaml(OpsFiles.PROVISIONING.resolve("dashboards/perpetual.yml"))
                .path("providers").path(0);

        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).startsWith("http");
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).isNotBlank();
    }

    /** Grafana's interval macros become durations, any other variable a regex matching everything. */
    static String withGrafanaVariablesResolved(String expr) {
        Matcher variable = GRAFANA_VARIABLE.matcher(expr);
        StringBuilder resolved = new StringBuilder();
        while (variable.find()) {
            String value = switch (variable.group(1)) {
                case "__rate_interval", "__interval", "__range" -> "5m";
                default -> ".*";
            };
            variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        return variable.appendTail(resolved).toString();
    }

    private static JsonNode dashboard() throws IOException {
        return OpsFiles.JSON.readTree(OpsFiles.DASHBOARD.toFile());
    }

    /** Top-level panels and those nested in collapsed rows. */
    private static List<JsonNode> panels() throws IOException {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        assertThat(panels).as("panels of " + OpsFiles.DASHBOARD).isNotEmpty();
        return panels;
    }

    private static List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asText(), target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }
}

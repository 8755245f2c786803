package dev.perpetual.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusRulesTest {

    @Test
    void promtool_check_rules_accepts_the_rules() throws Exception {
        Promtool.Result result = Promtool.run(OpsFiles.PROMETHEUS, "check", "rules", OpsFiles.RULES.toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void promtool_unit_tests_of_the_rules_pass() throws Exception {
        Promtool.Result result = Promtool.run(OpsFiles.PROMETHEUS, "test", "rules", OpsFiles.RULE_TESTS.toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void rules_read_only_metrics_the_daemon_exports_and_series_recorded_before_them() throws Exception {
        Set<String> recorded = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (OpsFiles.Rule rule : OpsFiles.rules()) {
            for (String name : PromQl.metricNames(rule.expr())) {
                if (!MetricContract.isExported(name) && !recorded.contains(name)) {
                    unknown.add(rule.name() + " reads [" + name + "]");
                }
            }
            if (!rule.alert()) {
                recorded.add(rule.name());
            }
        }

        assertThat(unknown).as("metric names outside the daemon's contract (MetricContract)").isEmpty();
    }

    @Test
    void every_alert_has_a_severity_a_summary_a_description_and_a_runbook() throws Exception {
        for (OpsFiles.Rule rule : OpsFiles.rules()) {
            if (rule.alert()) {
                JsonNode node = rule.node();
                // PerpetualDependencyFailing pages nobody: the Alertmanager configuration only inhibits with it.
                assertThat(node.path("labels").path("severity").asText()).as(rule.name())
                        .isIn(rule.name().equals(AlertmanagerConfigTest.INHIBITOR) ? List.of("info")
                                : List.of("critical", "warning"));
                for (String annotation : List.of("summary", "description", "runbook")) {
                    assertThat(node.path("annotations").path(annotation).asText()).as(rule.name() + " " + annotation)
                            .isNotBlank();
                }
            }
        }
    }

    @Test
    void every_rule_is_exercised_by_the_unit_tests() throws Exception {
        Set<String> alertsTested = new HashSet<>();
        Set<String> expressionsTested = new HashSet<>();
        for (JsonNode test : OpsFiles.yaml(OpsFiles.RULE_TESTS).path("tests")) {
            test.path("alert_rule_test").forEach(case_ -> {
                if (!case_.path("exp_alerts").isEmpty()) {
                    alertsTested.add(case_.path("alertname").asText());
                }
            });
            test.path("promql_expr_test").forEach(case_ -> expressionsTested.add(case_.path("expr").asText()));
        }

        for (OpsFiles.Rule rule : OpsFiles.rules()) {
            if (rule.alert()) {
                assertThat(alertsTested).as("alerts with a firing case in " + OpsFiles.RULE_TESTS.getFileName())
                        .contains(rule.name());
            } else {
                assertThat(expressionsTested).as("expressions tested in " + OpsFiles.RULE_TESTS.getFileName())
                        .anyMatch(expr -> expr.contains(rule.name()));
            }
        }
    }
}

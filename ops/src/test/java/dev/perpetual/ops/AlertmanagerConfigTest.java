package dev.perpetual.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertmanagerConfigTest {

    static final String INHIBITOR = "PerpetualDependencyFailing";

    @Test
    void amtool_check_config_accepts_the_shipped_configuration() throws Exception {
        Promtool.Result result = Amtool.run(OpsFiles.MODULE, "check-config", OpsFiles.ALERTMANAGER.toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void the_inhibitor_notifies_nobody_and_every_other_alert_of_the_rules_reaches_the_pager() throws Exception {
        Map<String, String> receivers = new TreeMap<>();
        for (OpsFiles.Rule rule : OpsFiles.rules()) {
            if (rule.alert()) {
                List<String> labels = new ArrayList<>(List.of("alertname=" + rule.name(), "test=Checkout.order"));
                rule.node().path("labels").fields().forEachRemaining(label -> labels.add(label.getKey() + "="
                        + label.getValue().asText()));
                List<String> args = new ArrayList<>(List.of("config", "routes", "test",
                        "--config.file=" + OpsFiles.ALERTMANAGER));
                args.addAll(labels);
                Promtool.Result result = Amtool.run(OpsFiles.MODULE, args.toArray(String[]::new));
                assertThat(result.exitCode()).as(result.describe()).isZero();
                receivers.put(rule.name(), result.output().lines().filter(line -> !line.startsWith("Warning:"))
                        .findFirst().orElse("").strip());
            }
        }

        assertThat(receivers).containsEntry(INHIBITOR, "perpetual-inhibitions");
        receivers.remove(INHIBITOR);
        assertThat(receivers.values()).as(receivers.toString()).containsOnly("perpetual-pager");
    }

    @Test
    void the_inhibition_runs_from_the_inhibitor_to_the_alerts_labelled_for_it_on_labels_both_carry() throws Exception {
        JsonNode inhibit = OpsFiles.yaml(OpsFiles.ALERTMANAGER).path("inhibit_rules");
        assertThat(inhibit).hasSize(1);
        assertThat(inhibit.get(0).path("source_matchers").get(0).asText()).isEqualTo("alertname=\"" + INHIBITOR + "\"");
        assertThat(inhibit.get(0).path("target_matchers").get(0).asText()).isEqualTo("perpetual_inhibit=\"dependency\"");
        assertThat(inhibit.get(0).path("equal").toString()).isEqualTo("[\"job\",\"location\",\"test\"]");

        List<String> labelled = new ArrayList<>();
        for (OpsFiles.Rule rule : OpsFiles.rules()) {
            if (rule.alert() && rule.node().path("labels").path("perpetual_inhibit").asText().equals("dependency")) {
                labelled.add(rule.name());
            }
        }
        assertThat(labelled).as("alerts a failing dependency holds back").containsExactlyInAnyOrder(
                "PerpetualTestFailing", "PerpetualTestFailureRatioHigh", "PerpetualTestFlapping",
                "PerpetualErrorBudgetBurnFast", "PerpetualErrorBudgetBurnSlow", "PerpetualErrorBudgetBurnSlow");
    }
}

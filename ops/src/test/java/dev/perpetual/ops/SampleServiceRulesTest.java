package dev.perpetual.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules a tenancy-aware service ships beside itself, as the sample tracking pipeline does
 * ({@code samples/prometheus/}): its delivery error ratio pages on customers' traffic only. Its promtool unit tests
 * prove that failing test traffic does not fire the alert and failing customer traffic does; each mutation below
 * must make them fail.
 */
@DisplayName("The sample service's rules keep test traffic out of its alert")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SampleServiceRulesTest {

    @TempDir
    Path dir;

    @Test
    void promtool_check_rules_accepts_them() throws Exception {
        Promtool.Result result = Promtool.run(OpsFiles.SAMPLE_SERVICE_RULES.getParent(), "check", "rules",
                OpsFiles.SAMPLE_SERVICE_RULES.toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void promtool_unit_tests_pass_failing_test_traffic_does_not_fire_and_failing_customer_traffic_does()
            throws Exception {
        Promtool.Result result = Promtool.run(OpsFiles.SAMPLE_SERVICE_RULES.getParent(), "test", "rules",
                OpsFiles.SAMPLE_SERVICE_RULE_TESTS.toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("test traffic counted in the alert",
                        "tracking_pipeline:delivery_errors:ratio_rate5m{tenancy!=\"test\"} > 0.05",
                        "tracking_pipeline:delivery_errors:ratio_rate5m > 0.05"),
                Arguments.of("only dropped deliveries counted as errors", "result=~\"failed|dropped\"",
                        "result=\"dropped\""),
                Arguments.of("4 % pages", "ratio_rate5m{tenancy!=\"test\"} > 0.05",
                        "ratio_rate5m{tenancy!=\"test\"} > 0.03"),
                Arguments.of("the alert pages at once", "        for: 5m\n", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void the_unit_tests_catch_the_mutation(String description, String from, String to) throws Exception {
        String rules = Files.readString(OpsFiles.SAMPLE_SERVICE_RULES, UTF_8);
        assertThat(rules.split(java.util.regex.Pattern.quote(from), -1)).as("occurrences of the mutated text, plus 1")
                .hasSize(2);

        Promtool.Result mutated = Promtool.testRules(dir, OpsFiles.SAMPLE_SERVICE_RULES, rules.replace(from, to),
                OpsFiles.SAMPLE_SERVICE_RULE_TESTS, OpsFiles.yaml(OpsFiles.SAMPLE_SERVICE_RULE_TESTS));

        assertThat(mutated.exitCode()).as("promtool test rules on the mutated rules: " + mutated.describe())
                .isNotZero();
        assertThat(mutated.output()).contains("FAILED");
    }
}

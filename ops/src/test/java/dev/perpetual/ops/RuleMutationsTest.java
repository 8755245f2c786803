package dev.perpetual.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of issue 17 changed in one way that matters must fail its promtool unit tests: tests that pass whatever
 * the rule says prove nothing. Each mutation runs only the test groups named for it (a prefix of their names), so the
 * whole set takes seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuleMutationsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> mutations() {
        return Stream.of(
                mutation("a passing dependency holds its dependants", "a dependant is held",
                        "label_replace(perpetual_test_last_success == 0,", "label_replace(perpetual_test_last_success == 1,"),
                mutation("a dependency in another location holds the dependant", "a dependant is held",
                        "and on (job, location, depends_on)", "and on (job, depends_on)"),
                mutation("5 changes flap", "a test changing between pass and failure",
                        "changes(perpetual_test_last_success[1h]) >= 6", "changes(perpetual_test_last_success[1h]) >= 5"),
                mutation("6 changes do not flap", "a test changing between pass and failure",
                        "changes(perpetual_test_last_success[1h]) >= 6", "changes(perpetual_test_last_success[1h]) >= 7"),
                mutation("a high failure ratio flaps too", "a test changing between pass and failure",
                        "unless on (job, location, test) ((1 - perpetual:test_availability:ratio_rate1h) > 0.1)\n", ""),
                mutation("a paused test flaps", "a test changing between pass and failure",
                        "unless on (job, location, test) ((1 - perpetual:test_availability:ratio_rate1h) > 0.1)\n"
                                + "          unless on (job, location, test) (perpetual_test_paused == 1)",
                        "unless on (job, location, test) ((1 - perpetual:test_availability:ratio_rate1h) > 0.1)"),
                mutation("a paused period burns the budget", "every error-ratio window",
                        "rate(perpetual_run_seconds_count{outcome=~\"fail|error|timeout\"}[5m]))\n"
                                + "              or\n"
                                + "                sum without (instance, class, outcome) (rate(perpetual_run_seconds_count{outcome!=\"aborted\"}[5m])) * 0\n"
                                + "            )\n"
                                + "          unless on (job, location, test) (max without (instance) (max_over_time(perpetual_test_paused[5m])) == 1)",
                        "rate(perpetual_run_seconds_count{outcome=~\"fail|error|timeout\"}[5m]))\n"
                                + "              or\n"
                                + "                sum without (instance, class, outcome) (rate(perpetual_run_seconds_count{outcome!=\"aborted\"}[5m])) * 0\n"
                                + "            )"),
                mutation("aborted runs count in the budget", "every error-ratio window",
                        "      - record: perpetual:test_runs:rate5m\n"
                                + "        expr: |2\n"
                                + "            sum without (instance, class, outcome) (rate(perpetual_run_seconds_count{outcome!=\"aborted\"}[5m]))",
                        "      - record: perpetual:test_runs:rate5m\n"
                                + "        expr: |2\n"
                                + "            sum without (instance, class, outcome) (rate(perpetual_run_seconds_count[5m]))"),
                mutation("the fast burn pages at 6 times", "burning 14.4 times",
                        "(14.4 * perpetual:test_error_budget:ratio)\n"
                                + "              and\n"
                                + "                perpetual:test_error:ratio_rate5m > on (job, location, test) (14.4 *",
                        "(6 * perpetual:test_error_budget:ratio)\n"
                                + "              and\n"
                                + "                perpetual:test_error:ratio_rate5m > on (job, location, test) (6 *"),
                mutation("the fast burn has no short window", "burning 14.4 times",
                        "perpetual:test_error:ratio_rate5m > on (job, location, test) (14.4 * perpetual:test_error_budget:ratio)",
                        "perpetual:test_error:ratio_rate1h > on (job, location, test) (14.4 * perpetual:test_error_budget:ratio)"),
                mutation("the fast burn pages at once", "burning 14.4 times",
                        "        for: 2m\n        labels:\n          severity: critical\n          perpetual_inhibit: dependency\n        annotations:\n          summary: 'Perpetual test {{ $labels.test }} burns its error budget fast",
                        "        labels:\n          severity: critical\n          perpetual_inhibit: dependency\n        annotations:\n          summary: 'Perpetual test {{ $labels.test }} burns its error budget fast"),
                mutation("the slow burn needs 14.4 times", "burning 14.4 times",
                        "perpetual:test_error:ratio_rate6h > on (job, location, test) (6 *",
                        "perpetual:test_error:ratio_rate6h > on (job, location, test) (14.4 *"),
                mutation("the ticket needs 6 times the budget", "burning 14.4 times",
                        "perpetual:test_error:ratio_rate3d > on (job, location, test) perpetual:test_error_budget:ratio",
                        "perpetual:test_error:ratio_rate3d > on (job, location, test) (6 * perpetual:test_error_budget:ratio)"),
                mutation("the stall limit is 3 periods", "a heartbeat behind",
                        "clamp_min(2 * min by", "clamp_min(3 * min by"),
                mutation("the stall is measured at evaluation, not at scrape", "a heartbeat behind",
                        "timestamp(perpetual_scheduler_heartbeat_timestamp_seconds) - perpetual_scheduler_heartbeat_timestamp_seconds",
                        "time() - perpetual_scheduler_heartbeat_timestamp_seconds"),
                mutation("a failing test is not held by its dependencies", "three failed runs in a row",
                        "(perpetual_test_paused == 1)\n        labels:\n          severity: critical\n"
                                + "          perpetual_inhibit: dependency\n",
                        "(perpetual_test_paused == 1)\n        labels:\n          severity: critical\n"));
    }

    private static Arguments mutation(String description, String testsNamed, String from, String to) {
        return Arguments.of(description, testsNamed, from, to);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void the_unit_tests_catch_the_mutation(String description, String testsNamed, String from, String to)
            throws Exception {
        String rules = Files.readString(OpsFiles.RULES, UTF_8);
        assertThat(rules.split(java.util.regex.Pattern.quote(from), -1)).as("occurrences of the mutated text, plus 1")
                .hasSize(2);
        ObjectNode tests = (ObjectNode) OpsFiles.yaml(OpsFiles.RULE_TESTS);
        ArrayNode chosen = tests.arrayNode();
        for (JsonNode test : tests.path("tests")) {
            if (test.path("name").asText().startsWith(testsNamed)) {
                chosen.add(test);
            }
        }
        assertThat(chosen).as("test groups named " + testsNamed).isNotEmpty();
        tests.set("tests", chosen);

        Promtool.Result original = promtoolTest(dir.resolve("original"), rules, tests);
        assertThat(original.exitCode()).as("the chosen tests pass on the rules as they are: " + original.describe())
                .isZero();
        Promtool.Result mutated = promtoolTest(dir.resolve("mutated"), rules.replace(from, to), tests);
        assertThat(mutated.exitCode()).as("promtool test rules on the mutated rules: " + mutated.describe())
                .isNotZero();
        assertThat(mutated.output()).contains("FAILED");
    }

    private static Promtool.Result promtoolTest(Path directory, String rules, JsonNode tests) throws Exception {
        return Promtool.testRules(directory, OpsFiles.RULES, rules, OpsFiles.RULE_TESTS, tests);
    }
}

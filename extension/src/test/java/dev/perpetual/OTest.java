package dev.perpetual;

import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.failure;
import static dev.perpetual.TestKit.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

@DisplayName("O")
class OTest {

    @Test
    void log_lines_are_published_as_report_entries_in_order() {
        EngineExecutionResults results = execute(LogTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(reportEntries(results, "perpetual.log")).containsExactly("order 42 placed", "100% done",
                "two args a b", "took 1s500ms");
    }

    @Test
    void the_report_is_also_printed_to_stdout_where_surefire_keeps_it_unless_switched_off() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            execute(LogTestCase.class, "perpetual.report.stdout", "true");
            String enabled = printed.toString(StandardCharsets.UTF_8);
            printed.reset();
            execute(LogTestCase.class, "perpetual.report.stdout", "false");

            assertThat(enabled).containsSubsequence("[perpetual.run] LogTestCase.logs ", "[perpetual.log] order 42 placed",
                    "[perpetual.log] 100% done");
            assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("[perpetual.");
        }
        finally {
            System.setOut(original);
        }
    }

    @Test
    void a_flood_of_log_lines_keeps_the_first_and_the_last_and_counts_those_between() {
        EngineExecutionResults results = execute(FloodTestCase.class, "perpetual.log.max-lines", "3");

        assertThat(reportEntries(results, "perpetual.log")).containsExactly("line 0", "line 1",
                "… 9997 lines (86.8 KiB) left out …", "line 9999",
                "9997 log lines were left out in all (perpetual.log.max-lines, perpetual.log.max-bytes)");
    }

    @Test
    void error_keeps_going_and_the_run_fails_at_the_end_with_every_error_in_order() {
        ErrorTestCase.reachedEnd.set(false);

        EngineExecutionResults results = execute(ErrorTestCase.class);

        assertThat(ErrorTestCase.reachedEnd).isTrue();
        assertThat(failure(results)).isInstanceOf(AssertionFailedError.class)
                .hasMessage("2 errors:\n  1. price was 12 not 10\n  2. currency was USD");
    }

    @Test
    void fail_records_and_ends_the_test_now() {
        FailTestCase.reachedEnd.set(false);

        EngineExecutionResults results = execute(FailTestCase.class);

        assertThat(FailTestCase.reachedEnd).isFalse();
        assertThat(failure(results)).isInstanceOf(AssertionFailedError.class)
                .hasMessage("2 errors:\n  1. first problem\n  2. order 7 missing");
    }

    @Test
    void an_exception_after_errors_is_listed_last_and_kept_as_the_cause() {
        EngineExecutionResults results = execute(ErrorThenThrowTestCase.class);

        assertThat(failure(results)).isInstanceOf(AssertionFailedError.class)
                .hasMessage("2 errors:\n  1. status 503\n  2. then threw java.lang.IllegalStateException: boom")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void identity_and_deadline_describe_the_run() {
        IdentityTestCase.seen.clear();

        execute(IdentityTestCase.class).testEvents().assertStatistics(stats -> stats.succeeded(2));

        assertThat(IdentityTestCase.seen).hasSize(2);
        assertThat(IdentityTestCase.seen.get(0).runId()).isNotEqualTo(IdentityTestCase.seen.get(1).runId())
                .matches("[0-9a-z]+-[0-9a-z]{12}");
        assertThat(IdentityTestCase.seen).extracting(Seen::name)
                .containsExactlyInAnyOrder("IdentityTestCase.first", "stable-name");
        for (Seen seen : IdentityTestCase.seen) {
            assertThat(Duration.between(seen.now(), seen.deadline())).isBetween(Duration.ofSeconds(5),
                    Duration.ofSeconds(7));
            assertThat(seen.remaining()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(7));
        }
    }

    @Test
    void cleanups_run_last_registered_first_on_pass_and_on_failure() {
        CleanupTestCase.calls.clear();

        EngineExecutionResults results = execute(CleanupTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(CleanupTestCase.calls).containsExactlyInAnyOrder("pass: second", "pass: first", "fail: second",
                "fail: first");
        assertThat(CleanupTestCase.calls.indexOf("pass: second")).isLessThan(CleanupTestCase.calls.indexOf("pass: first"));
        assertThat(CleanupTestCase.calls.indexOf("fail: second")).isLessThan(CleanupTestCase.calls.indexOf("fail: first"));
    }

    @Test
    void cleanups_and_expectations_registered_in_before_each_end_even_when_before_each_fails() {
        BeforeEachFailsTestCase.calls.clear();

        EngineExecutionResults results = execute(BeforeEachFailsTestCase.class);

        assertThat(failure(results)).hasMessage("in @BeforeEach setUp: setup broke");
        assertThat(BeforeEachFailsTestCase.calls).containsExactly("cleanup");
        execute(BeforeEachFailsTestCase.class).testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(BeforeEachFailsTestCase.calls).containsExactly("cleanup", "cleanup");
    }

    @Test
    void a_cleanup_that_fails_after_a_timeout_is_attached_to_the_timeout() {
        Throwable failure = failure(execute(CleanupAfterTimeoutTestCase.class));

        assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
                .contains("cleanup failed: java.lang.IllegalStateException: could not release the order");
    }

    @Test
    void a_failing_cleanup_fails_the_run_and_the_others_still_run() {
        FailingCleanupTestCase.calls.clear();

        EngineExecutionResults results = execute(FailingCleanupTestCase.class);

        assertThat(FailingCleanupTestCase.calls).containsExactly("third", "first");
        assertThat(failure(results)).isInstanceOf(AssertionFailedError.class)
                .hasMessage("cleanup failed: java.io.IOException: could not delete order 7");
    }

    @Test
    void a_failing_step_is_named_in_the_failure_and_steps_are_timed() {
        EngineExecutionResults results = execute(StepTestCase.class);

        assertThat(failure(results)).isInstanceOf(AssertionFailedError.class)
                .hasMessage("Step 'checkout > pay' failed: card declined");
        assertThat(reportEntries(results, "perpetual.step")).hasSize(3)
                .satisfiesExactly(
                        login -> assertThat(login).matches("log in \\S+ pass"),
                        pay -> assertThat(pay).matches("checkout > pay \\S+ fail"),
                        checkout -> assertThat(checkout).matches("checkout \\S+ fail"));
    }

    @Test
    void an_exception_in_a_step_is_an_error_naming_the_step_and_the_value_form_returns() {
        EngineExecutionResults results = execute(StepErrorTestCase.class);

        assertThat(failure(results)).isNotInstanceOf(AssertionError.class)
                .hasMessage("Step 'fetch token' failed: IllegalStateException: 401 from auth")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(reportEntries(results, "perpetual.log")).containsExactly("got abc");
    }

    @Test
    void errors_inside_a_step_carry_the_step() {
        EngineExecutionResults results = execute(StepErrorMessageTestCase.class);

        assertThat(failure(results)).hasMessage("[verify] total was 3");
    }

    @Test
    void custom_metrics_are_tagged_with_the_test_and_published_as_report_entries() {
        EngineExecutionResults results = execute(MetricsTestCase.class);

        assertThat(reportEntries(results, "perpetual.metric"))
                .containsExactly("orders.placed{region=eu,test=MetricsTestCase.orders} count=2.0");
    }

    @Test
    void await_is_bounded_by_the_runs_deadline() {
        EngineExecutionResults results = execute(AwaitTestCase.class);

        assertThat(failure(results)).isInstanceOf(ConditionTimeoutException.class)
                .hasMessageMatching("Condition .* was not fulfilled within (1 seconds 9\\d\\d milliseconds|2 seconds)\\.");
    }

    @Test
    void config_reads_junit_configuration_parameters_and_require_config_names_a_missing_key() {
        EngineExecutionResults results = execute(ConfigTestCase.class, "shop.url", "https://shop.example");

        assertThat(reportEntries(results, "perpetual.log")).containsExactly("https://shop.example");
        assertThat(failure(results)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("ConfigTestCase.missing needs the configuration parameter 'shop.token', which is not "
                        + "set. Set it in junit-platform.properties, with -Dshop.token=<value>, or with the daemon's "
                        + "--config shop.token=<value>.");
    }

    static class LogTestCase {

        @Perpetual(period = "1m")
        void logs(O o) {
            o.log("order %d placed", 42);
            o.log("100% done");
            o.log("two args %s %s", "a", "b");
            o.log("took %s", Duration.ofMillis(1500));
        }
    }

    static class FloodTestCase {

        @Perpetual(period = "1m")
        void floods(O o) {
            for (int i = 0; i < 10_000; i++) {
                o.log("line %d", i);
            }
        }
    }

    static class ErrorTestCase {

        static final AtomicBoolean reachedEnd = new AtomicBoolean();

        @Perpetual(period = "1m")
        void errors(O o) {
            o.error("price was %d not %d", 12, 10);
            assertThat(o.failed()).isTrue();
            o.error("currency was %s", "USD");
            reachedEnd.set(true);
        }
    }

    static class FailTestCase {

        static final AtomicBoolean reachedEnd = new AtomicBoolean();

        @Perpetual(period = "1m")
        void fails(O o) {
            o.error("first problem");
            o.fail("order %d missing", 7);
            reachedEnd.set(true);
        }
    }

    static class ErrorThenThrowTestCase {

        @Perpetual(period = "1m")
        void errorThenThrow(O o) {
            o.error("status %d", 503);
            throw new IllegalStateException("boom");
        }
    }

    record Seen(String name, String runId, Instant now, Instant deadline, Duration remaining) {
    }

    static class IdentityTestCase {

        static final List<Seen> seen = new CopyOnWriteArrayList<>();

        @Perpetual(period = "1m", timeout = "6s")
        void first(O o) {
            seen.add(new Seen(o.name(), o.runId(), Instant.now(), o.deadline(), o.remaining()));
        }

        @Perpetual(period = "1m", timeout = "6s", name = "stable-name")
        void second(O o) {
            seen.add(new Seen(o.name(), o.runId(), Instant.now(), o.deadline(), o.remaining()));
        }
    }

    static class CleanupTestCase {

        static final List<String> calls = new CopyOnWriteArrayList<>();

        @Perpetual(period = "1m")
        void passes(O o) {
            o.cleanup(() -> calls.add("pass: first"));
            o.cleanup(() -> calls.add("pass: second"));
        }

        @Perpetual(period = "1m")
        void fails(O o) {
            o.cleanup(() -> calls.add("fail: first"));
            o.cleanup(() -> calls.add("fail: second"));
            throw new AssertionError("no");
        }
    }

    static class FailingCleanupTestCase {

        static final List<String> calls = new CopyOnWriteArrayList<>();

        @Perpetual(period = "1m")
        void run(O o) {
            o.cleanup(() -> calls.add("first"));
            o.cleanup(() -> {
                throw new java.io.IOException("could not delete order 7");
            });
            o.cleanup(() -> calls.add("third"));
        }
    }

    static class BeforeEachFailsTestCase {

        static final List<String> calls = new CopyOnWriteArrayList<>();

        @org.junit.jupiter.api.BeforeEach
        void setUp(O o, WebhookWaiter webhooks) {
            o.cleanup(() -> calls.add("cleanup"));
            webhooks.expect("the-same-key-every-run"); // a leaked expectation would refuse the next run's expect
            throw new IllegalStateException("setup broke");
        }

        @Perpetual(period = "1m")
        void run() {
        }
    }

    static class CleanupAfterTimeoutTestCase {

        @Perpetual(period = "1m", timeout = "100ms")
        void run(O o) throws InterruptedException {
            o.cleanup(() -> {
                throw new IllegalStateException("could not release the order");
            });
            Thread.sleep(10_000);
        }
    }

    static class StepTestCase {

        @Perpetual(period = "1m")
        void run(O o) {
            o.step("log in", () -> o.log("logged in"));
            o.step("checkout", () -> o.step("pay", () -> {
                throw new AssertionError("card declined");
            }));
        }
    }

    static class StepErrorTestCase {

        @Perpetual(period = "1m")
        void run(O o) {
            String token = o.step("read token", () -> "abc");
            o.log("got %s", token);
            o.step("fetch token", () -> {
                throw new IllegalStateException("401 from auth");
            });
        }
    }

    static class StepErrorMessageTestCase {

        @Perpetual(period = "1m")
        void run(O o) {
            o.step("verify", () -> o.error("total was %d", 3));
        }
    }

    static class MetricsTestCase {

        @Perpetual(period = "1m")
        void orders(O o) {
            o.metrics().counter("orders.placed", "region", "eu").increment(2);
        }
    }

    static class AwaitTestCase {

        @Perpetual(period = "1m", timeout = "2s")
        void run(O o) {
            o.await().until(() -> false);
        }
    }

    static class ConfigTestCase {

        @Perpetual(period = "1m")
        void present(O o) {
            o.log(o.config("shop.url").orElseThrow());
            assertThat(o.config("shop.nothing")).isEmpty();
        }

        @Perpetual(period = "1m")
        void missing(O o) {
            o.requireConfig("shop.token");
        }
    }
}

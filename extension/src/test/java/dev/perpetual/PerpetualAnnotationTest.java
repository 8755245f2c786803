package dev.perpetual;

import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.failure;
import static dev.perpetual.TestKit.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.engine.TestTag;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

@DisplayName("@Perpetual")
class PerpetualAnnotationTest {

    @Test
    void is_a_test_that_runs_once_and_carries_the_perpetual_tag() {
        EngineExecutionResults results = execute(OnceTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        Event started = results.testEvents().started().list().get(0);
        assertThat(started.getTestDescriptor().getTags()).contains(TestTag.create("perpetual"), TestTag.create("smoke"));
        assertThat(reportEntries(results, "perpetual.run")).singleElement().asString()
                .startsWith("OnceTestCase.checkout ").contains(" pass in ");
    }

    @Test
    void keeps_before_each_after_each_display_names_other_resolvers_and_disabled_working() {
        LifecycleTestCase.calls.clear();

        EngineExecutionResults results = execute(LifecycleTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).skipped(1));
        assertThat(LifecycleTestCase.calls).containsExactly("beforeEach LifecycleTestCase.run",
                "test Shown name 42", "afterEach false");
    }

    @Test
    void a_bad_duration_fails_that_test_naming_the_test_the_attribute_the_value_and_the_forms() {
        EngineExecutionResults results = execute(BadPeriodTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(failure(results)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@Perpetual test [BadPeriodTestCase.broken] has an invalid 'period' [every minute]: "
                        + "expected a duration such as 500ms, 30s, 5m, 1h, 1h30m or PT30S (units ns, us, ms, s, m, "
                        + "h, d; a bare number means seconds).");
    }

    @Test
    void a_perpetual_method_that_is_also_a_repeated_test_fails_saying_perpetual_is_itself_a_test() {
        EngineExecutionResults results = execute(RepeatedTestCase.class);

        assertThat(results.testEvents().failed().list()).isNotEmpty().allSatisfy(event -> assertThat(
                event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                        .orElseThrow()).hasMessage("@Perpetual test [RepeatedTestCase.check] is also a @RepeatedTest: "
                                + "@Perpetual is itself a @Test, which runs the method once with O and WebhookWaiter "
                                + "as its parameters. Remove @RepeatedTest, or keep that test apart from the perpetual "
                                + "one."));
        assertThat(results.testEvents().succeeded().count()).isZero();
    }

    @Test
    void a_nested_test_is_named_with_its_enclosing_classes_and_finds_their_shared_factories() {
        EngineExecutionResults results = execute(OuterTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(reportEntries(results, "perpetual.run")).singleElement().asString()
                .startsWith("OuterTestCase.Editing.cityChanges ");
        assertThat(OuterTestCase.used).containsExactly("client of the outer class");
    }

    @Test
    void a_failure_in_before_each_or_after_each_names_the_method_it_happened_in() {
        EngineExecutionResults before = execute(FailingBeforeEachTestCase.class);
        EngineExecutionResults after = execute(FailingAfterEachTestCase.class);

        assertThat(failure(before)).hasMessage("in @BeforeEach registerOwner: owner id ==> expected: <1> but was: "
                + "<2>").hasCauseInstanceOf(org.opentest4j.AssertionFailedError.class);
        assertThat(reportEntries(before, "perpetual.run")).singleElement().asString().contains(" fail in ");
        assertThat(failure(after)).hasMessage("in @AfterEach logOut: Connection refused")
                .hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(reportEntries(after, "perpetual.run")).singleElement().asString().contains(" fail in ");
    }

    @Test
    void a_per_test_key_disables_nothing_in_a_single_execution_but_must_still_be_valid() {
        EngineExecutionResults results = execute(OnceTestCase.class, "perpetual.test.OnceTestCase.checkout.timeout",
                "soon");

        assertThat(failure(results)).hasMessageContaining(
                "invalid configuration parameter 'perpetual.test.OnceTestCase.checkout.timeout' [soon]");
    }

    @Test
    void o_is_refused_outside_a_test_method_with_the_place_to_move_it() {
        EngineExecutionResults results = execute(ConstructorTestCase.class);

        assertThat(failure(results)).hasMessageStartingWith("O is only available in @Perpetual test methods and "
                + "their @BeforeEach and @AfterEach methods, not in [")
                .hasMessageEndingWith("]. Move the parameter there.");
    }

    static class OnceTestCase {

        @Perpetual(period = "30s", timeout = "5s")
        @Tag("smoke")
        void checkout(O o) {
            o.log("ran once");
        }
    }

    @ExtendWith(AnswerResolver.class)
    static class LifecycleTestCase {

        static final List<String> calls = new CopyOnWriteArrayList<>();

        @BeforeEach
        void beforeEach(O o) {
            calls.add("beforeEach " + o.name());
        }

        @Perpetual(period = "30s", timeout = "5s")
        @DisplayName("Shown name")
        void run(O o, TestInfo info, Integer answer) {
            calls.add("test " + info.getDisplayName() + " " + answer);
        }

        @Perpetual(period = "30s")
        @Disabled("not today")
        void disabled() {
            calls.add("disabled ran");
        }

        @AfterEach
        void afterEach(O o) {
            calls.add("afterEach " + o.failed());
        }
    }

    static class AnswerResolver implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Integer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return 42;
        }
    }

    static class FailingBeforeEachTestCase {

        @BeforeEach
        void registerOwner() {
            org.junit.jupiter.api.Assertions.assertEquals(1, 2, "owner id");
        }

        @Perpetual(period = "1m")
        void check(O o) {
        }
    }

    static class FailingAfterEachTestCase {

        @Perpetual(period = "1m")
        void check(O o) {
        }

        @AfterEach
        void logOut() throws java.net.ConnectException {
            throw new java.net.ConnectException("Connection refused");
        }
    }

    static class RepeatedTestCase {

        @Perpetual(period = "1m")
        @org.junit.jupiter.api.RepeatedTest(2)
        void check(O o) {
        }
    }

    static class OuterTestCase {

        static final List<String> used = new CopyOnWriteArrayList<>();

        @Shared
        static StringBuilder client() {
            return new StringBuilder("client of the outer class");
        }

        @org.junit.jupiter.api.Nested
        class Editing {

            @Perpetual(period = "1m")
            void cityChanges(O o, StringBuilder client) {
                used.add(client.toString());
            }
        }
    }

    static class BadPeriodTestCase {

        @Perpetual(period = "every minute")
        void broken() {
        }

        @Perpetual(period = "1m")
        void fine() {
        }
    }

    static class ConstructorTestCase {

        ConstructorTestCase(O o) {
        }

        @Perpetual(period = "1m")
        void run() {
        }
    }
}

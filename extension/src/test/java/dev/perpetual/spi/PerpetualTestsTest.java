package dev.perpetual.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.perpetual.Overlap;
import dev.perpetual.Perpetual;
import org.junit.jupiter.api.Test;

class PerpetualTestsTest {

    @Test
    void reads_the_annotation_and_names_the_test_after_its_class_and_method() throws Exception {
        PerpetualTest test = resolve("plain", Map.of());

        assertThat(test.name()).isEqualTo("Fixtures.plain");
        assertThat(test.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(test.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(test.overlap()).isEqualTo(Overlap.SKIP);
        assertThat(test.retries()).isZero();
        assertThat(test.periodWhileFailing()).isEmpty();
        assertThat(test.enabled()).isTrue();
    }

    @Test
    void an_empty_timeout_falls_back_to_the_default_key_and_then_to_one_minute() throws Exception {
        assertThat(resolve("noTimeout", Map.of()).timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(resolve("noTimeout", Map.of("perpetual.timeout.default", "45s")).timeout())
                .isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void per_test_keys_override_the_annotation_and_the_default() throws Exception {
        PerpetualTest test = resolve("named", Map.of(
                "perpetual.timeout.default", "45s",
                "perpetual.test.checkout.period", "2m",
                "perpetual.test.checkout.timeout", "PT20S",
                "perpetual.test.checkout.period-while-failing", "10s",
                "perpetual.test.checkout.enabled", "false"));

        assertThat(test.name()).isEqualTo("checkout");
        assertThat(test.period()).isEqualTo(Duration.ofMinutes(2));
        assertThat(test.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(test.periodWhileFailing()).contains(Duration.ofSeconds(10));
        assertThat(test.enabled()).isFalse();
        assertThat(test.overlap()).isEqualTo(Overlap.ALLOW);
        assertThat(test.retries()).isEqualTo(2);
    }

    @Test
    void adaptive_cadence_uses_the_shorter_period_only_while_failing() throws Exception {
        PerpetualTest test = resolve("named", Map.of());

        assertThat(test.periodAfter(true)).isEqualTo(Duration.ofMinutes(1));
        assertThat(test.periodAfter(false)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void works_through_a_composed_annotation() throws Exception {
        PerpetualTest test = resolve("composed", Map.of());

        assertThat(test.period()).isEqualTo(Duration.ofMinutes(5));
        assertThat(test.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void reports_every_problem_at_once_naming_the_test_the_attribute_the_value_and_the_fix() throws Exception {
        InvalidPerpetualTestException problems = catchThrowableOfType(InvalidPerpetualTestException.class,
                () -> resolve("broken", Map.of("perpetual.test.Fixtures.broken.enabled", "yes")));

        assertThat(problems.problems()).containsExactly(
                "@Perpetual test [Fixtures.broken] has an invalid 'period' [30x]: expected a duration such as "
                        + "500ms, 30s, 5m, 1h, 1h30m or PT30S (units ns, us, ms, s, m, h, d; a bare number means "
                        + "seconds).",
                "@Perpetual test [Fixtures.broken] has a non-positive 'timeout' [0s]: use a duration greater than "
                        + "zero, such as 30s.",
                "@Perpetual test [Fixtures.broken] has a negative 'retries' [-1]: use 0 or more.",
                "@Perpetual test [Fixtures.broken] has an invalid configuration parameter "
                        + "'perpetual.test.Fixtures.broken.enabled' [yes]: use true or false.");
        assertThat(problems).hasMessage(String.join("\n", problems.problems()));
    }

    @Test
    void a_bad_override_names_the_key() throws Exception {
        InvalidPerpetualTestException problems = catchThrowableOfType(InvalidPerpetualTestException.class,
                () -> resolve("plain", Map.of("perpetual.test.Fixtures.plain.timeout", "soon")));

        assertThat(problems.problems()).containsExactly("@Perpetual test [Fixtures.plain] has an invalid "
                + "configuration parameter 'perpetual.test.Fixtures.plain.timeout' [soon]: expected a duration such "
                + "as 500ms, 30s, 5m, 1h, 1h30m or PT30S (units ns, us, ms, s, m, h, d; a bare number means "
                + "seconds).");
    }

    @Test
    void rejects_a_name_that_cannot_be_a_label() throws Exception {
        InvalidPerpetualTestException problems = catchThrowableOfType(InvalidPerpetualTestException.class,
                () -> resolve("badName", Map.of()));

        assertThat(problems.problems()).containsExactly("@Perpetual test [check out] has an invalid 'name' "
                + "[check out]: use letters, digits and _ . : - only, so it can be a metric label and a "
                + "configuration key.");
    }

    @Test
    void depends_on_and_objective_come_from_the_annotation_and_their_keys_override_them() throws Exception {
        PerpetualTest declared = resolve("dependant", Map.of());
        assertThat(declared.dependsOn()).containsExactly("Api.isUp", "Login.works");
        assertThat(declared.objective()).hasValue(0.995);

        PerpetualTest overridden = resolve("dependant", Map.of(
                "perpetual.test.Fixtures.dependant.depends-on", " Api.isUp , Cdn.serves ",
                "perpetual.test.Fixtures.dependant.objective", "0.99"));
        assertThat(overridden.dependsOn()).containsExactly("Api.isUp", "Cdn.serves");
        assertThat(overridden.objective()).hasValue(0.99);

        PerpetualTest plain = resolve("plain", Map.of());
        assertThat(plain.dependsOn()).isEmpty();
        assertThat(plain.objective()).isEmpty();
    }

    @Test
    void a_bad_objective_or_an_empty_dependency_name_names_the_test_the_source_the_value_and_the_fix()
            throws Exception {
        InvalidPerpetualTestException declared = catchThrowableOfType(InvalidPerpetualTestException.class,
                () -> resolve("badAlerting", Map.of()));
        assertThat(declared.problems()).containsExactly(
                "@Perpetual test [Fixtures.badAlerting] has an empty name in 'dependsOn': give Perpetual names, such "
                        + "as dependsOn = \"Api.isUp\".",
                "@Perpetual test [Fixtures.badAlerting] has an invalid 'objective' [100%]: expected a percentage "
                        + "above 0 and below 100 such as 99.5%, or a ratio such as 0.995.");

        InvalidPerpetualTestException overridden = catchThrowableOfType(InvalidPerpetualTestException.class,
                () -> resolve("plain", Map.of("perpetual.test.Fixtures.plain.depends-on", "Api.isUp,,Login.works",
                        "perpetual.test.Fixtures.plain.objective", "most")));
        assertThat(overridden.problems()).containsExactly(
                "@Perpetual test [Fixtures.plain] has an empty name in configuration parameter "
                        + "'perpetual.test.Fixtures.plain.depends-on' [Api.isUp,,Login.works]: separate Perpetual "
                        + "names with commas, such as Login.works,Api.isUp.",
                "@Perpetual test [Fixtures.plain] has an invalid configuration parameter "
                        + "'perpetual.test.Fixtures.plain.objective' [most]: expected a percentage above 0 and below "
                        + "100 such as 99.5%, or a ratio such as 0.995.");
    }

    @Test
    void the_alerting_keys_are_known_keys() {
        assertThat(dev.perpetual.Constants.isKnownKey("perpetual.test.Checkout.order.depends-on")).isTrue();
        assertThat(dev.perpetual.Constants.isKnownKey("perpetual.test.Checkout.order.objective")).isTrue();
    }

    private static PerpetualTest resolve(String method, Map<String, String> config) throws NoSuchMethodException {
        Method m = Fixtures.class.getDeclaredMethod(method);
        return PerpetualTests.resolve(Fixtures.class, m, key -> Optional.ofNullable(config.get(key)));
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Perpetual(period = "5m", timeout = "3s")
    @interface EveryFiveMinutes {
    }

    static class Fixtures {

        @Perpetual(period = "30s", timeout = "10s")
        void plain() {
        }

        @Perpetual(period = "30s")
        void noTimeout() {
        }

        @Perpetual(period = "1m", timeout = "5s", name = "checkout", overlap = Overlap.ALLOW, retries = 2,
                periodWhileFailing = "5s")
        void named() {
        }

        @EveryFiveMinutes
        void composed() {
        }

        @Perpetual(period = "30x", timeout = "0s", retries = -1)
        void broken() {
        }

        @Perpetual(period = "1m", name = "check out")
        void badName() {
        }

        @Perpetual(period = "1m", dependsOn = { "Api.isUp", "Login.works", "Api.isUp" }, objective = "99.5%")
        void dependant() {
        }

        @Perpetual(period = "1m", dependsOn = { "Api.isUp", " " }, objective = "100%")
        void badAlerting() {
        }
    }
}

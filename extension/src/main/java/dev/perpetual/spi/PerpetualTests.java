package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.perpetual.Constants;
import dev.perpetual.Perpetual;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Reads a {@link Perpetual @Perpetual} method's settings, applying the configuration overrides
 * ({@code perpetual.test.<name>.period|timeout|enabled|period-while-failing|depends-on|objective}, then
 * {@code perpetual.timeout.default}). One place, so the extension and the daemon can never disagree.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PerpetualTests {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    private PerpetualTests() {
    }

    /** Whether {@code method} carries {@code @Perpetual}, directly or through a composed annotation. */
    public static boolean isPerpetual(Method method) {
        return AnnotationSupport.isAnnotated(method, Perpetual.class);
    }

    /**
     * The stable name of a perpetual method: {@link Perpetual#name()}, else {@code SimpleClassName.methodName}, where
     * a {@code @Nested} (inner) class is named with the classes it is nested in: {@code Owners.Editing.cityChanges}.
     */
    public static String nameOf(Class<?> testClass, Method method) {
        String declared = annotation(method).name().strip();
        return declared.isEmpty() ? className(testClass) + "." + method.getName() : declared;
    }

    private static String className(Class<?> type) {
        if (type.isMemberClass() && !java.lang.reflect.Modifier.isStatic(type.getModifiers())) {
            return className(type.getEnclosingClass()) + "." + type.getSimpleName();
        }
        return type.getSimpleName();
    }

    /**
     * The other JUnit test kind {@code method} is declared as besides {@code @Perpetual} (itself a {@code @Test}):
     * {@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @TestFactory} or {@code @TestTemplate}; or null.
     */
    static String otherKind(Method method) {
        for (java.lang.annotation.Annotation annotation : method.getAnnotations()) {
            String type = annotation.annotationType().getName();
            if (type.equals("org.junit.jupiter.params.ParameterizedTest")) {
                return "@ParameterizedTest";
            }
            if (type.equals(org.junit.jupiter.api.RepeatedTest.class.getName())) {
                return "@RepeatedTest";
            }
            if (type.equals(org.junit.jupiter.api.TestFactory.class.getName())) {
                return "@TestFactory";
            }
        }
        if (AnnotationSupport.isAnnotated(method, org.junit.jupiter.api.TestFactory.class)) {
            return "@TestFactory";
        }
        return AnnotationSupport.isAnnotated(method, org.junit.jupiter.api.TestTemplate.class) ? "@TestTemplate"
                : null;
    }

    /**
     * Resolves the settings of {@code method} as run in {@code testClass}.
     *
     * @param config the configuration parameters
     * @throws InvalidPerpetualTestException listing every problem found, not only the first
     */
    public static PerpetualTest resolve(Class<?> testClass, Method method, Function<String, Optional<String>> config) {
        Perpetual perpetual = annotation(method);
        String name = nameOf(testClass, method);
        List<String> problems = new ArrayList<>();
        if (!VALID_NAME.matcher(name).matches()) {
            problems.add(String.format("@Perpetual test [%s] has an invalid 'name' [%s]: use letters, digits and "
                    + "_ . : - only, so it can be a metric label and a configuration key.", name, name));
        }
        String other = otherKind(method);
        if (other != null) {
            problems.add(String.format("@Perpetual test [%s] is also a %s: @Perpetual is itself a @Test, which runs "
                    + "the method once with O and WebhookWaiter as its parameters. Remove %s, or keep that test apart "
                    + "from the perpetual one.", name, other, other));
        }
        Setting setting = new Setting(name, config, problems);
        Duration period = setting.duration("period", perpetual.period(), Constants.TEST_PERIOD, null);
        Duration timeout = setting.duration("timeout", perpetual.timeout(), Constants.TEST_TIMEOUT,
                Constants.TIMEOUT_DEFAULT);
        Duration whileFailing = setting.duration("periodWhileFailing", perpetual.periodWhileFailing(),
                Constants.TEST_PERIOD_WHILE_FAILING, null);
        if (perpetual.retries() < 0) {
            problems.add(String.format("@Perpetual test [%s] has a negative 'retries' [%d]: use 0 or more.", name,
                    perpetual.retries()));
        }
        boolean enabled = setting.bool(Constants.TEST_ENABLED);
        List<String> dependsOn = setting.names("dependsOn", perpetual.dependsOn(), Constants.TEST_DEPENDS_ON);
        OptionalDouble objective = setting.objective(perpetual.objective(), Constants.TEST_OBJECTIVE);
        if (!problems.isEmpty()) {
            throw new InvalidPerpetualTestException(problems);
        }
        return new PerpetualTest(name, testClass, method, period, timeout, perpetual.overlap(), perpetual.retries(),
                Optional.ofNullable(whileFailing), enabled, dependsOn, objective);
    }

    private static Perpetual annotation(Method method) {
        return AnnotationSupport.findAnnotation(method, Perpetual.class).orElseThrow(
                () -> new IllegalArgumentException("[" + method + "] is not annotated with @Perpetual"));
    }

    private record Setting(String test, Function<String, Optional<String>> config, List<String> problems) {

        /** The override key wins over the attribute, which wins over the general key; empty means unset. */
        Duration duration(String attribute, String declared, String overrideKeyFormat, String generalKey) {
            String overrideKey = String.format(overrideKeyFormat, test);
            Optional<String> override = config.apply(overrideKey).map(String::strip).filter(v -> !v.isEmpty());
            String value;
            String source;
            if (override.isPresent()) {
                value = override.get();
                source = "configuration parameter '" + overrideKey + "'";
            }
            else if (!declared.isBlank()) {
                value = declared;
                source = "'" + attribute + "'";
            }
            else if (generalKey != null) {
                value = config.apply(generalKey).map(String::strip).filter(v -> !v.isEmpty())
                        .orElse(Constants.TIMEOUT_DEFAULT_VALUE);
                source = "configuration parameter '" + generalKey + "'";
            }
            else if (attribute.equals("period")) {
                problems.add(String.format("@Perpetual test [%s] has an empty 'period': set it, e.g. "
                        + "@Perpetual(period = \"30s\").", test));
                return null;
            }
            else {
                return null;
            }
            try {
                Duration duration = Durations.parse(value);
                if (duration.isZero() || duration.isNegative()) {
                    problems.add(String.format("@Perpetual test [%s] has a non-positive %s [%s]: use a duration "
                            + "greater than zero, such as 30s.", test, source, value));
                }
                return duration;
            }
            catch (IllegalArgumentException e) {
                problems.add(String.format("@Perpetual test [%s] has an invalid %s [%s]: expected %s.", test,
                        source, value, Durations.ACCEPTED_FORMS));
                return null;
            }
        }

        /** The override key's comma-separated names win over the attribute's; blank names are problems. */
        List<String> names(String attribute, String[] declared, String overrideKeyFormat) {
            String overrideKey = String.format(overrideKeyFormat, test);
            Optional<String> override = config.apply(overrideKey).map(String::strip).filter(v -> !v.isEmpty());
            List<String> names = new ArrayList<>();
            for (String name : override.map(value -> value.split(",", -1)).orElse(declared)) {
                if (name.isBlank()) {
                    problems.add(override.isPresent()
                            ? String.format("@Perpetual test [%s] has an empty name in configuration parameter '%s' "
                                    + "[%s]: separate Perpetual names with commas, such as Login.works,Api.isUp.",
                                    test, overrideKey, override.get())
                            : String.format("@Perpetual test [%s] has an empty name in '%s': give Perpetual names, "
                                    + "such as dependsOn = \"Api.isUp\".", test, attribute));
                }
                else if (!names.contains(name.strip())) {
                    names.add(name.strip());
                }
            }
            return List.copyOf(names);
        }

        /** The override key wins over the attribute; empty means no objective. */
        OptionalDouble objective(String declared, String overrideKeyFormat) {
            String overrideKey = String.format(overrideKeyFormat, test);
            Optional<String> override = config.apply(overrideKey).map(String::strip).filter(v -> !v.isEmpty());
            String value = override.orElse(declared.strip());
            if (value.isEmpty()) {
                return OptionalDouble.empty();
            }
            try {
                return OptionalDouble.of(Objectives.parse(value));
            }
            catch (IllegalArgumentException e) {
                problems.add(String.format("@Perpetual test [%s] has an invalid %s [%s]: expected %s.", test,
                        override.isPresent() ? "configuration parameter '" + overrideKey + "'" : "'objective'", value,
                        Objectives.ACCEPTED_FORMS));
                return OptionalDouble.empty();
            }
        }

        boolean bool(String keyFormat) {
            String key = String.format(keyFormat, test);
            Optional<String> value = config.apply(key).map(String::strip);
            if (value.isEmpty() || value.get().equalsIgnoreCase("true")) {
                return true;
            }
            if (value.get().equalsIgnoreCase("false")) {
                return false;
            }
            problems.add(String.format("@Perpetual test [%s] has an invalid configuration parameter '%s' [%s]: "
                    + "use true or false.", test, key, value.get()));
            return true;
        }
    }
}

package dev.perpetual.worker.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.spi.Durations;

/**
 * How long a run's set-up may take before its test method starts ({@value Constants#TIMEOUT_SETUP}): the test class's
 * {@code @BeforeAll} and the test instance with what prepares it, such as a Spring context's first build. A test's
 * timeout starts with its test method, under the daemon as under {@code mvn test}, so the set-up never counts against
 * it; the set-up has this bound of its own, so that one that never returns is still recorded.
 */
final class SetUpAllowance {

    private SetUpAllowance() {
    }

    /** The allowance {@code config} sets, or the default when it sets none (or one {@link #problem} reported). */
    static Duration of(Function<String, Optional<String>> config) {
        return parse(config).orElse(Durations.parse(Constants.TIMEOUT_SETUP_VALUE));
    }

    /** The problem with the allowance {@code config} sets, naming the key, the value and the accepted forms. */
    static Optional<String> problem(Function<String, Optional<String>> config) {
        try {
            Optional<Duration> allowance = parse(config);
            if (allowance.isPresent() && (allowance.get().isZero() || allowance.get().isNegative())) {
                return Optional.of(invalid(config));
            }
            return Optional.empty();
        }
        catch (IllegalArgumentException e) {
            return Optional.of(invalid(config));
        }
    }

    private static Optional<Duration> parse(Function<String, Optional<String>> config) {
        return config.apply(Constants.TIMEOUT_SETUP).map(String::strip).filter(value -> !value.isEmpty())
                .map(Durations::parse);
    }

    private static String invalid(Function<String, Optional<String>> config) {
        return "Invalid configuration parameter " + Constants.TIMEOUT_SETUP + " = ["
                + config.apply(Constants.TIMEOUT_SETUP).orElse("") + "]: expected " + Durations.ACCEPTED_FORMS
                + ", above zero: how long a run's set-up (@BeforeAll, the test instance, a Spring context's first "
                + "build) may take before its test method starts (default " + Constants.TIMEOUT_SETUP_VALUE + ")";
    }
}

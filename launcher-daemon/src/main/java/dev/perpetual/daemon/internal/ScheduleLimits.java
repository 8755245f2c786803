package dev.perpetual.daemon.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.perpetual.Constants;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.spi.Durations;

/**
 * {@code perpetual.period.min}: the shortest period the scheduler accepts. A period below it is a problem at start,
 * never a scheduler spinning through billions of skipped ticks.
 */
final class ScheduleLimits {

    static final Duration PERIOD_MIN_DEFAULT = Durations.parse(Constants.PERIOD_MIN_VALUE);

    private ScheduleLimits() {
    }

    /** {@code perpetual.period.min}, or its default when unset or bad (then a problem). */
    static Duration periodMin(Map<String, String> config, List<String> problems) {
        Optional<String> value = Optional.ofNullable(config.get(Constants.PERIOD_MIN)).map(String::strip);
        if (value.isEmpty()) {
            return PERIOD_MIN_DEFAULT;
        }
        try {
            Duration min = Durations.parse(value.get());
            if (!min.isNegative() && !min.isZero()) {
                return min;
            }
        }
        catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use %s, greater than "
                + "zero (default %s).", Constants.PERIOD_MIN, value.get(), Durations.ACCEPTED_FORMS,
                Constants.PERIOD_MIN_VALUE));
        return PERIOD_MIN_DEFAULT;
    }

    /** A problem for each test whose period or period while failing is below {@code min}. */
    static void check(List<ScheduledTest> tests, Duration min, List<String> problems) {
        for (ScheduledTest test : tests) {
            check(test, "period", test.period(), min, problems);
            test.periodWhileFailing().ifPresent(period -> check(test, "periodWhileFailing", period, min, problems));
        }
    }

    private static void check(ScheduledTest test, String what, Duration period, Duration min, List<String> problems) {
        if (period.compareTo(min) < 0) {
            problems.add(String.format("@Perpetual test [%s] has a '%s' [%s] below %s [%s]: use a period of %s or "
                    + "more, or lower %s.", test.name(), what, Durations.format(period), Constants.PERIOD_MIN,
                    Durations.format(min), Durations.format(min), Constants.PERIOD_MIN));
        }
    }
}

package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.perpetual.Overlap;
import org.apiguardian.api.API;

/**
 * A {@link dev.perpetual.Perpetual @Perpetual} method's settings after configuration overrides, as both the
 * extension and the daemon see them. Made by {@link PerpetualTests#resolve}.
 *
 * @param name               the stable name, the {@code test} label
 * @param testClass          the class declaring the test
 * @param method             the test method
 * @param period             how often the daemon starts it
 * @param timeout            how long one run may take
 * @param overlap            what a tick does when the previous run is still going
 * @param retries            how many retries a failed run gets in the daemon
 * @param periodWhileFailing the period while failing, if any
 * @param enabled            false when {@code perpetual.test.<name>.enabled=false}
 * @param dependsOn          the Perpetual names of the tests it depends on, in the order given
 * @param objective          the share of runs that must pass, in (0, 1), if any
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PerpetualTest(String name, Class<?> testClass, Method method, Duration period, Duration timeout,
        Overlap overlap, int retries, Optional<Duration> periodWhileFailing, boolean enabled,
        List<String> dependsOn, OptionalDouble objective) {

    /** The period to use next, given whether the last run succeeded. */
    public Duration periodAfter(boolean lastRunSucceeded) {
        return lastRunSucceeded ? period : periodWhileFailing.orElse(period);
    }
}

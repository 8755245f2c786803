package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.perpetual.Overlap;
import dev.perpetual.worker.internal.Message;
import org.apiguardian.api.API;

/**
 * A discovered {@code @Perpetual} test as the supervisor knows it: names and settings, as a worker reported them. The
 * supervisor never loads the user's classes.
 *
 * @param name               the stable name, the {@code test} label
 * @param className          the test class's fully qualified name
 * @param methodName         the test method's name
 * @param uniqueId           the JUnit unique id of the test method
 * @param period             how often it runs
 * @param timeout            how long one run may take
 * @param overlap            what a tick does when the previous run is still going
 * @param retries            how many retries a failed run gets
 * @param periodWhileFailing the period while failing, if any
 * @param disabledReason     why it is not scheduled ({@code @Disabled}, or the configuration key), or null
 * @param displayName        its {@code @DisplayName}, shown beside the name, or null
 * @param dependsOn          the Perpetual names of the tests it depends on
 * @param objective          the share of runs that must pass, in (0, 1), if any
 */
@API(status = INTERNAL, since = "0.1")
public record ScheduledTest(String name, String className, String methodName, String uniqueId, Duration period,
        Duration timeout, Overlap overlap, int retries, Optional<Duration> periodWhileFailing, String disabledReason,
        String displayName, List<String> dependsOn, OptionalDouble objective) {

    public static ScheduledTest of(Message.TestSpec spec) {
        return new ScheduledTest(spec.name(), spec.className(), spec.methodName(), spec.uniqueId(),
                Duration.ofNanos(spec.periodNanos()), Duration.ofNanos(spec.timeoutNanos()),
                Overlap.valueOf(spec.overlap().toUpperCase(Locale.ROOT)), spec.retries(),
                spec.periodWhileFailingNanos() > 0 ? Optional.of(Duration.ofNanos(spec.periodWhileFailingNanos()))
                        : Optional.empty(), spec.disabledReason(), spec.displayName(),
                spec.dependsOn() == null ? List.of() : List.copyOf(spec.dependsOn()),
                spec.objective() > 0 ? OptionalDouble.of(spec.objective()) : OptionalDouble.empty());
    }

    /** Whether it is scheduled: neither {@code @Disabled} nor disabled by configuration. */
    public boolean enabled() {
        return disabledReason == null;
    }

    /** The period to use next, given whether the last run succeeded. */
    public Duration periodAfter(boolean lastRunSucceeded) {
        return lastRunSucceeded ? period : periodWhileFailing.orElse(period);
    }

    /** The message that runs it once in a worker; {@code runId} the run's id, or null for the worker to choose. */
    public Message.Run run(long id, String runId) {
        return new Message.Run(id, uniqueId, name, className, timeout.toNanos(), retries, runId);
    }
}

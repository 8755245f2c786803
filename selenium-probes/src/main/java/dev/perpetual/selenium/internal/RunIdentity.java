package dev.perpetual.selenium.internal;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import dev.perpetual.O;
import dev.perpetual.RunTrace;
import dev.perpetual.internal.trace.Tenancy;
import dev.perpetual.internal.trace.W3cRunTrace;
import dev.perpetual.spi.CurrentRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Who a browser run belongs to: the {@code @Perpetual} run's name, id, deadline, meters and trace, or, for a plain
 * {@code @Test}, the method's name, a random id, 30 seconds, a registry and a fresh trace of its own.
 */
record RunIdentity(String name, String runId, MeterRegistry metrics, Supplier<Duration> remaining, RunTrace trace) {

    static final Duration PLAIN_TEST_TIMEOUT = Duration.ofSeconds(30);

    static RunIdentity of(ExtensionContext context) {
        return CurrentRun.of(context).map(RunIdentity::of).orElseGet(() -> plain(context));
    }

    static RunIdentity of(O run) {
        return new RunIdentity(run.name(), run.runId(), run.metrics(), run::remaining, run.trace());
    }

    private static RunIdentity plain(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        long deadline = System.nanoTime() + PLAIN_TEST_TIMEOUT.toNanos();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().commonTags("test", name);
        String runId = UUID.randomUUID().toString();
        return new RunIdentity(name, runId, registry, () -> Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                W3cRunTrace.start(Tenancy.from(context::getConfigurationParameter).value(), name, runId));
    }
}

package dev.perpetual.selenium.internal;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import dev.perpetual.O;
import dev.perpetual.spi.CurrentRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Who a browser run belongs to: the {@code @Perpetual} run's name, id, deadline and meters, or, for a plain
 * {@code @Test}, the method's name, a random id, 30 seconds and a registry of its own.
 */
record RunIdentity(String name, String runId, MeterRegistry metrics, Supplier<Duration> remaining) {

    static final Duration PLAIN_TEST_TIMEOUT = Duration.ofSeconds(30);

    static RunIdentity of(ExtensionContext context) {
        return CurrentRun.of(context).map(RunIdentity::of).orElseGet(() -> plain(context));
    }

    static RunIdentity of(O run) {
        return new RunIdentity(run.name(), run.runId(), run.metrics(), run::remaining);
    }

    private static RunIdentity plain(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        long deadline = System.nanoTime() + PLAIN_TEST_TIMEOUT.toNanos();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().commonTags("test", name);
        return new RunIdentity(name, UUID.randomUUID().toString(), registry,
                () -> Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}

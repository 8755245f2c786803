package dev.perpetual.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.perpetual.spi.PerpetualHost;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The session's meters: the host's registry under the daemon, an in-memory one otherwise, and one view of it per
 * test that adds the {@code test} tag. Meters outlive runs, so a counter keeps counting across them.
 */
final class TestMeters implements AutoCloseable {

    /** Buckets for step and webhook timers: bounded, and meaningful from a fast API call to a slow page. */
    static final Duration[] TIMER_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60) };

    private final MeterRegistry session;
    private final boolean ownsSession;
    private final Map<String, CompositeMeterRegistry> perTest = new ConcurrentHashMap<>();

    TestMeters(Optional<PerpetualHost> host) {
        this.session = host.map(PerpetualHost::meterRegistry).orElseGet(SimpleMeterRegistry::new);
        this.ownsSession = host.isEmpty();
    }

    /** The registry for meters that belong to no single test. */
    MeterRegistry session() {
        return session;
    }

    /** The registry of {@code test}: every meter registered in it carries {@code test=<test>}. */
    MeterRegistry of(String test) {
        return perTest.computeIfAbsent(test, name -> {
            CompositeMeterRegistry registry = new CompositeMeterRegistry();
            registry.config().commonTags("test", name);
            registry.add(session);
            return registry;
        });
    }

    /** Whether the meters are exported by a host; otherwise they are only published as report entries. */
    boolean exportedByHost() {
        return !ownsSession;
    }

    @Override
    public void close() {
        perTest.values().forEach(MeterRegistry::close);
        if (ownsSession) {
            session.close();
        }
    }
}

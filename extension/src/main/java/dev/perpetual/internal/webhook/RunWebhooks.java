package dev.perpetual.internal.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.perpetual.PendingWebhook;
import dev.perpetual.WebhookWaiter;
import dev.perpetual.internal.trace.W3cRunTrace;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One run's {@link WebhookWaiter}: every wait is bounded by the run's deadline, and {@link #close()} (the run ended)
 * removes the run's expectations from the receiver, so nothing leaks from run to run.
 */
public final class RunWebhooks implements WebhookWaiter, AutoCloseable {

    static final String LATENCY = "perpetual.webhook.latency";

    /** Bounded buckets from a fast callback to a slow batch job; no percentile histogram. */
    private static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60) };

    final String test;
    final String runId;
    final W3cRunTrace trace;
    private final WebhookReceiver receiver;
    private final long deadlineNanos;
    private final MeterRegistry registry;
    private final List<Expectation> expectations = new ArrayList<>(); // guarded by this
    private final Map<String, Timer> timers = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    RunWebhooks(WebhookReceiver receiver, String test, String runId, Instant deadline, MeterRegistry registry,
            W3cRunTrace trace) {
        this.receiver = receiver;
        this.trace = trace;
        this.test = test;
        this.runId = runId;
        this.registry = registry;
        long now = System.nanoTime();
        Duration left = Duration.between(Instant.now(), deadline);
        this.deadlineNanos = now + (left.isNegative() ? 0 : saturatedNanos(left));
    }

    @Override
    public URI url() {
        return url(DEFAULT_CHANNEL);
    }

    @Override
    public URI url(String channel) {
        return receiver.url(channel);
    }

    @Override
    public PendingWebhook expect(String key) {
        return expect(DEFAULT_CHANNEL, key);
    }

    @Override
    public PendingWebhook expect(String channel, String key) {
        Objects.requireNonNull(channel, "channel");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("A webhook key must not be empty, not [" + key + "]");
        }
        receiver.requireOpen();
        Channel target = receiver.channel(channel);
        Expectation expectation = new Expectation(this, target, key, timer(channel));
        Expectation live = target.expectations.putIfAbsent(key, expectation);
        if (live != null) {
            if (live.run == this) {
                return live;
            }
            throw new IllegalStateException("Key '" + key + "' on channel '" + channel + "' is already expected by run "
                    + live.run.runId + " of " + live.run.test + ", which is still going. A key must be unique "
                    + "among the runs going at once: put the run id (O.runId()) into it.");
        }
        synchronized (this) {
            if (closed) {
                target.expectations.remove(key, expectation);
                throw new IllegalStateException(
                        "Run " + runId + " of " + test + " has ended; it cannot expect webhooks.");
            }
            expectations.add(expectation);
        }
        try {
            receiver.routing.register(expectation);
        }
        catch (RuntimeException e) {
            synchronized (this) {
                expectations.remove(expectation);
            }
            target.expectations.remove(key, expectation);
            throw e;
        }
        return expectation;
    }

    /** One entry per expectation of the run: channel, key, deliveries, latency of the first. */
    public List<RunReport.Webhook> report() {
        List<Expectation> all;
        synchronized (this) {
            all = List.copyOf(expectations);
        }
        List<RunReport.Webhook> report = new ArrayList<>(all.size());
        all.forEach(expectation -> report.add(expectation.report()));
        return report;
    }

    /** The run ended: its expectations leave the receiver and any wait still going ends. */
    @Override
    public void close() {
        List<Expectation> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(expectations);
        }
        for (Expectation expectation : all) {
            expectation.channel.expectations.remove(expectation.key(), expectation);
            expectation.end();
            receiver.routing.unregister(expectation);
        }
    }

    /** How long the run's registrations should outlive it in a shared store: until its deadline plus a minute. */
    long registrationTtlMillis() {
        return Math.max(0, deadlineNanos - System.nanoTime()) / 1_000_000 + 60_000;
    }

    /** What went wrong with the shared store since {@code nanos}, if anything. */
    Optional<String> routingTrouble(long nanos) {
        return receiver.routing.troubleSince(nanos);
    }

    /** Whether a delivery without the run's trace id fails the wait that returns it. */
    boolean requiresTraceContext() {
        return receiver.settings.requireTraceContext;
    }

    /** How long a wait may take: {@code timeout}, or what is left until the deadline when that is sooner. */
    Bound bound(Duration timeout) {
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        if (timeout == null || saturatedNanos(timeout) >= left) {
            return new Bound(left, true);
        }
        return new Bound(timeout.toNanos(), false);
    }

    private synchronized Timer timer(String channel) {
        return timers.computeIfAbsent(channel, name -> Timer.builder(LATENCY)
                .description("Time from expecting a webhook to receiving it").tag("channel", name)
                .serviceLevelObjectives(LATENCY_BUCKETS).publishPercentileHistogram(false).register(registry));
    }

    static Duration millis(long nanos) {
        return Duration.ofMillis((nanos + 500_000) / 1_000_000);
    }

    private static long saturatedNanos(Duration duration) {
        return duration.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : duration.toNanos();
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable throwable) throws T {
        throw (T) throwable;
    }

    /** A wait's length and whether the run's deadline set it. */
    record Bound(long nanos, boolean deadline) {
        @Override
        public String toString() {
            return Durations.format(millis(nanos)) + (deadline ? " (run deadline)" : "");
        }
    }
}

package dev.perpetual.internal.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.Headers;
import dev.perpetual.PendingWebhook;
import dev.perpetual.ReceivedWebhook;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.Timer;
import org.opentest4j.AssertionFailedError;

/** One run's expectation of a key on a channel, and every delivery for it until the run ends. */
final class Expectation implements PendingWebhook {

    /** Deliveries kept per key; later ones are counted, not kept, so a sender stuck in a loop cannot fill the heap. */
    static final int MAX_KEPT = 1000;

    final RunWebhooks run;
    final Channel channel;
    private final String key;
    private final long expectedAt;
    private final Channel.Stats before;
    private final Timer latency;
    private volatile long fleetExpectedMicros;

    private final Object lock = new Object();
    private final List<ReceivedWebhook> deliveries = new ArrayList<>(1); // guarded by lock
    private int total; // guarded by lock
    private boolean ended; // guarded by lock

    Expectation(RunWebhooks run, Channel channel, String key, Timer latency) {
        this.run = run;
        this.channel = channel;
        this.key = key;
        this.latency = latency;
        this.before = channel.stats();
        this.expectedAt = System.nanoTime();
    }

    /** Records a delivery; called by the receiver's thread. {@code body} is owned by the delivery from now on. */
    void deliver(byte[] body, Headers headers) {
        long nanos = System.nanoTime() - expectedAt;
        record(new Delivery(key, channel.name, body, Delivery.lowerCase(headers), Instant.now(),
                Duration.ofNanos(nanos)), nanos);
    }

    /**
     * Records a delivery another replica received at {@code receivedAt} and routed here; {@code latencyNanos} was
     * measured on the shared store's clock (see {@link RedisRouting}).
     */
    void deliverRouted(byte[] body, Map<String, List<String>> headers, Instant receivedAt, long latencyNanos) {
        record(new Delivery(key, channel.name, body, headers, receivedAt, Duration.ofNanos(latencyNanos)),
                latencyNanos);
    }

    /** When the routing registered this expectation, in microseconds on the shared store's clock. */
    void registeredAt(long micros) {
        fleetExpectedMicros = micros;
    }

    long registeredMicros() {
        return fleetExpectedMicros;
    }

    long expectedAtNanos() {
        return expectedAt;
    }

    /** Counted before the waiter wakes, so that what it reads of the metrics already includes this delivery. */
    private void record(Delivery delivery, long nanos) {
        channel.context(keptContext(delivery));
        synchronized (lock) {
            if (++total == 1) {
                latency.record(nanos, TimeUnit.NANOSECONDS);
                channel.matched();
            }
            else {
                channel.duplicate();
            }
            if (deliveries.size() < MAX_KEPT) {
                deliveries.add(delivery);
            }
            lock.notifyAll();
        }
    }

    /** The run or the receiver ended: wake every waiter. */
    void end() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String channel() {
        return channel.name;
    }

    @Override
    public ReceivedWebhook await() {
        return awaitCount(1, null).get(0);
    }

    @Override
    public ReceivedWebhook await(Duration timeout) {
        return awaitCount(1, requireTimeout(timeout)).get(0);
    }

    @Override
    public List<ReceivedWebhook> awaitCount(int n) {
        return awaitCount(n, null);
    }

    @Override
    public List<ReceivedWebhook> awaitCount(int n, Duration timeout) {
        requireCount(n, 1);
        RunWebhooks.Bound bound = run.bound(timeout);
        int got;
        boolean endedEarly;
        synchronized (lock) {
            waitWhile(() -> deliveries.size() < n, bound);
            if (deliveries.size() >= n) {
                List<ReceivedWebhook> arrived = List.copyOf(deliveries.subList(0, n));
                requireContext(arrived);
                return arrived;
            }
            got = deliveries.size();
            endedEarly = ended;
        }
        String what = got == 0 ? "No webhook" : "Only " + got + " of " + n + " webhooks";
        Optional<String> trouble = run.routingTrouble(expectedAt);
        if (trouble.isPresent()) {
            throw new RoutingException(what + " with key '" + key + "' on channel '" + channel.name + "' "
                    + (endedEarly ? "before the run ended" : "within " + bound) + ", and meanwhile " + trouble.get(),
                    null);
        }
        throw new AssertionFailedError(what + " with key '" + key + "' on channel '" + channel.name + "' "
                + (endedEarly ? "before the run ended" : "within " + bound) + ". " + meanwhile());
    }

    private boolean keptContext(ReceivedWebhook delivery) {
        return run.trace.isInTrace(delivery.traceparent().orElse(null));
    }

    /** With {@code perpetual.tenancy.require-on-webhooks=true}, a delivery that lost the context fails the wait. */
    private void requireContext(List<ReceivedWebhook> arrived) {
        if (!run.requiresTraceContext()) {
            return;
        }
        for (ReceivedWebhook delivery : arrived) {
            if (!keptContext(delivery)) {
                throw new AssertionFailedError(String.format("Webhook with key '%s' on channel '%s' lost the run's "
                        + "trace context (%s=true): expected the headers traceparent [%s] (or another span of trace "
                        + "%s) and baggage [%s], but it carried traceparent [%s] and baggage [%s]. Every hop of the "
                        + "system under test must pass on the traceparent and baggage it received.", key,
                        channel.name, dev.perpetual.Constants.TENANCY_REQUIRE_ON_WEBHOOKS, run.trace.traceparent(),
                        run.trace.traceId(), run.trace.baggage(), delivery.traceparent().orElse("none"),
                        delivery.baggage().orElse("none")));
            }
        }
    }

    @Override
    public List<ReceivedWebhook> assertAtMost(int n, Duration window) {
        requireCount(n, 0);
        RunWebhooks.Bound bound = run.bound(requireTimeout(window));
        int got;
        synchronized (lock) {
            waitWhile(() -> total <= n, bound);
            if (total <= n) {
                return List.copyOf(deliveries);
            }
            got = total;
        }
        throw new AssertionFailedError("Expected at most " + n + (n == 1 ? " webhook" : " webhooks") + " with key '"
                + key + "' on channel '" + channel.name + "' within " + bound + ", but " + got + " arrived.");
    }

    @Override
    public List<ReceivedWebhook> received() {
        synchronized (lock) {
            return List.copyOf(deliveries);
        }
    }

    RunReport.Webhook report() {
        synchronized (lock) {
            return new RunReport.Webhook(channel.name, key, total,
                    deliveries.isEmpty() ? Optional.empty() : Optional.of(deliveries.get(0).latency()));
        }
    }

    /** Waits while {@code condition} holds, the run goes on and the bound is not reached. Holds the lock. */
    private void waitWhile(BooleanSupplier condition, RunWebhooks.Bound bound) {
        long end = System.nanoTime() + bound.nanos();
        try {
            while (condition.getAsBoolean() && !ended) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        catch (InterruptedException e) {
            // The run timed out: end the wait now and let the interruption travel up as it came.
            Thread.currentThread().interrupt();
            throw RunWebhooks.<RuntimeException>sneaky(e);
        }
    }

    private String meanwhile() {
        return "Meanwhile: " + channel.stats().since(before).describe() + ". Is the system under test delivering to "
                + run.url(channel.name) + "?";
    }

    private static Duration requireTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, not [" + timeout + "]");
        }
        return timeout;
    }

    private static void requireCount(int n, int min) {
        if (n < min || n > MAX_KEPT) {
            throw new IllegalArgumentException(
                    "n must be from " + min + " to " + MAX_KEPT + " (the deliveries kept per key), not [" + n + "]");
        }
    }

    @Override
    public String toString() {
        return "webhook '" + key + "' on channel '" + channel.name + "' expected by run " + run.runId;
    }
}

package dev.perpetual.daemon.internal.workers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.perpetual.worker.internal.Message;

/**
 * Which worker's run expects each webhook key, when several workers share the webhook port ({@code perpetual.workers}
 * above 1): the in-host counterpart of the Redis store. A worker registers each expectation here before its test
 * goes on, and sends here every delivery none of its runs expects; the delivery goes on to the worker that expects
 * it, or is kept for the early retention in case its expectation comes soon after (the system under test can be
 * faster than the message that registers it), then goes back to the worker that received it, which counts it
 * unmatched. The senders are answered 200 once a delivery is here, 503 when more than {@link #MAX_KEPT} wait.
 */
final class WebhookRoutes {

    /** Deliveries kept at most for expectations yet to come; past it, senders are asked to retry. */
    static final int MAX_KEPT = 10_000;

    private record Owner(Worker worker, String runId) {
    }

    private record Kept(Worker from, Message.Deliver delivery, long atNanos) {
    }

    private final long retentionNanos;
    /** Counts each delivery's result: {@code forwarded}, {@code kept}, {@code expired} or {@code refused}. */
    private final Consumer<String> counted;
    private final Map<String, Owner> owners = new HashMap<>();
    private final Map<String, List<Kept>> kept = new HashMap<>();
    private final ArrayDeque<String> keptOrder = new ArrayDeque<>();
    private int keptCount;

    WebhookRoutes(Duration retention, Consumer<String> counted) {
        this.retentionNanos = retention.toNanos();
        this.counted = counted;
    }

    /** A routing message from {@code worker}: {@link Message.Expect}, {@link Message.Unexpect} or {@link Message.Route}. */
    void received(Worker worker, Message message) {
        if (message instanceof Message.Expect expect) {
            expect(worker, expect);
        }
        else if (message instanceof Message.Unexpect unexpect) {
            synchronized (this) {
                owners.remove(id(unexpect.channel(), unexpect.key()), new Owner(worker, unexpect.runId()));
            }
        }
        else if (message instanceof Message.Route route) {
            route(worker, route);
        }
    }

    private void expect(Worker worker, Message.Expect expect) {
        String id = id(expect.channel(), expect.key());
        Owner other;
        List<Kept> early = List.of();
        synchronized (this) {
            other = owners.get(id);
            if (other != null && (other.worker == worker || other.worker.ended())) {
                other = null; // its own stale entry, or one of a worker gone
            }
            if (other == null) {
                owners.put(id, new Owner(worker, expect.runId()));
                List<Kept> waiting = kept.remove(id);
                if (waiting != null) {
                    early = waiting;
                    keptCount -= waiting.size();
                }
            }
        }
        worker.send(new Message.Expected(expect.id(), other == null ? null : "Key '" + expect.key()
                + "' on channel '" + expect.channel() + "' is already expected by run " + other.runId + " on "
                + other.worker.describe() + ", which is still going. A key must be unique among the runs going at "
                + "once: put the run id (O.runId()) into it."));
        for (Kept delivery : early) { // after the answer: the expectation is there
            worker.send(delivery.delivery());
            counted.accept("forwarded");
        }
    }

    private void route(Worker from, Message.Route route) {
        Message.Deliver delivery = route.delivery();
        String id = id(delivery.channel(), delivery.key());
        Owner owner;
        boolean taken = true;
        synchronized (this) {
            owner = owners.get(id);
            if (owner == null) {
                if (keptCount >= MAX_KEPT) {
                    taken = false;
                }
                else {
                    kept.computeIfAbsent(id, key -> new ArrayList<>(1)).add(new Kept(from, delivery,
                            System.nanoTime()));
                    keptOrder.add(id);
                    keptCount++;
                }
            }
        }
        if (owner != null) {
            owner.worker.send(delivery);
        }
        counted.accept(owner != null ? "forwarded" : taken ? "kept" : "refused");
        from.send(new Message.Routed(route.id(), taken ? 200 : 503));
    }

    /** Deliveries kept past the retention go back to the worker that received them, which counts them unmatched. */
    void sweep() {
        long now = System.nanoTime();
        List<Kept> expired = new ArrayList<>();
        synchronized (this) {
            while (!keptOrder.isEmpty()) {
                String id = keptOrder.peek();
                List<Kept> waiting = kept.get(id);
                if (waiting == null) { // taken by an expectation meanwhile
                    keptOrder.poll();
                    continue;
                }
                if (now - waiting.get(0).atNanos < retentionNanos) {
                    break;
                }
                keptOrder.poll();
                expired.add(waiting.remove(0));
                keptCount--;
                if (waiting.isEmpty()) {
                    kept.remove(id);
                }
            }
        }
        for (Kept gone : expired) {
            gone.from.send(gone.delivery);
            counted.accept("expired");
        }
    }

    /** {@code worker} ended: its expectations go with it; what it received and nobody took is dropped. */
    synchronized void ended(Worker worker) {
        owners.values().removeIf(owner -> owner.worker == worker);
        for (Iterator<List<Kept>> lists = kept.values().iterator(); lists.hasNext();) {
            List<Kept> waiting = lists.next();
            int before = waiting.size();
            waiting.removeIf(early -> early.from == worker);
            keptCount -= before - waiting.size();
            if (waiting.isEmpty()) {
                lists.remove();
            }
        }
    }

    synchronized int expected() {
        return owners.size();
    }

    synchronized int kept() {
        return keptCount;
    }

    private static String id(String channel, String key) {
        return channel + '\n' + key;
    }
}

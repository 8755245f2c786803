package dev.perpetual.daemon.internal.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link FleetFollower}'s polls on a thread of its own ({@value #THREAD}, a daemon thread), every period after
 * the last one ended, so that neither a long prune nor a slow poll delays the other. A poll that fails is said once
 * per episode, and once more when a poll succeeds again; the next poll reads what was missed. {@link #close} stops
 * the thread.
 */
final class FleetPolling implements AutoCloseable {

    /** One poll. */
    interface Poll {
        void once() throws Exception;
    }

    static final String THREAD = "perpetual-history-follower";

    private final Poll poll;
    private final Consumer<String> warn;
    private final ScheduledExecutorService thread;
    private volatile boolean closed;
    /** Whether the last poll failed; read and written by the polling thread only. */
    private boolean failing;

    FleetPolling(Poll poll, Duration period, Consumer<String> warn) {
        this.poll = poll;
        this.warn = warn;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread polling = new Thread(runnable, THREAD);
            polling.setDaemon(true);
            return polling;
        });
        thread.scheduleWithFixedDelay(this::pollOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        try {
            poll.once();
            if (failing) {
                failing = false;
                warn.accept("The run store can be read again: the fleet's other replicas' runs are followed.");
            }
        }
        catch (Exception e) {
            if (!failing && !closed) {
                failing = true;
                warn.accept(String.format("The run store cannot be read to follow the fleet's other replicas (%s): "
                        + "their runs reach /status when it can; this replica keeps running.", e));
            }
        }
    }

    /** Stops polling, waiting up to 5 seconds for a poll under way. */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

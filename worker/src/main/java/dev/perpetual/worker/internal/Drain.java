package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.apiguardian.api.API;

/** Waiting for a collection of runs to empty: the worker's executor and the supervisor's workers both drain so. */
@API(status = INTERNAL, since = "0.1")
public final class Drain {

    private Drain() {
    }

    /**
     * Waits until {@code items} is empty, at most {@code grace}; whether it is. {@code items} is guarded by its own
     * monitor, which is notified whenever an item is removed.
     */
    public static boolean await(Collection<?> items, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (items) {
            while (!items.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(items, left);
            }
        }
        return true;
    }
}

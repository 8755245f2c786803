package dev.perpetual.daemon.internal.workers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One test's incidents (it ended or wedged its worker) within {@link #WINDOW}, whether they isolate it in a worker of
 * its own, and its back-off once isolated: 30s after an incident, doubling up to {@link #MAX_BACKOFF}, over after a
 * pass. A test blamed alone for an incident is proven; one blamed only beside others is released after running
 * {@link #WINDOW} alone without one.
 */
final class Quarantine {

    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Deque<Instant> incidents = new ArrayDeque<>();
    volatile boolean isolated;
    private boolean proven;
    private Instant lastIncident = Instant.MIN;
    private Duration backoff = Duration.ZERO;
    private Instant until = Instant.MIN;

    /** Counts an incident ({@code alone}: no other test was blamed for it); whether it isolates the test now. */
    synchronized boolean incident(Instant now, int after, boolean alone) {
        incidents.addLast(now);
        lastIncident = now;
        proven |= alone;
        while (!incidents.isEmpty() && incidents.peekFirst().isBefore(now.minus(WINDOW))) {
            incidents.removeFirst();
        }
        if (isolated) {
            backoff = backoff.isZero() ? Duration.ofSeconds(30)
                    : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            until = now.plus(backoff);
            return false;
        }
        if (incidents.size() >= after) {
            isolated = true;
            return true;
        }
        return false;
    }

    synchronized boolean backingOff(Instant now) {
        return isolated && now.isBefore(until);
    }

    synchronized void passed() {
        backoff = Duration.ZERO;
        until = Instant.MIN;
    }

    /** Ends an isolation that was never proven, once the test ran {@link #WINDOW} alone without an incident. */
    synchronized boolean release(Instant now) {
        if (!isolated || proven || now.isBefore(lastIncident.plus(WINDOW))) {
            return false;
        }
        isolated = false;
        incidents.clear();
        backoff = Duration.ZERO;
        until = Instant.MIN;
        return true;
    }
}

package dev.perpetual.daemon.internal.workers;

import java.time.Duration;
import java.time.Instant;

/**
 * One test's isolation in a worker of its own, and its back-off once isolated: 30s after an incident, doubling up to
 * {@link #MAX_BACKOFF}, over after a pass. {@link Blame} decides which incidents count against the test; this class
 * what they do to it.
 */
final class Quarantine {

    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    volatile boolean isolated;
    private Instant lastIncident = Instant.MIN;
    private Duration backoff = Duration.ZERO;
    private Instant until = Instant.MIN;

    /**
     * An incident counted against the test; {@code reached}: it now has {@code quarantine-after} incidents within
     * {@link Blame#WINDOW}. Whether it isolates the test now (an isolated test backs off instead).
     */
    synchronized boolean incident(Instant now, boolean reached) {
        lastIncident = now;
        if (isolated) {
            backoff = backoff.isZero() ? Duration.ofSeconds(30)
                    : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            until = now.plus(backoff);
            return false;
        }
        isolated = reached;
        return reached;
    }

    synchronized boolean backingOff(Instant now) {
        return isolated && now.isBefore(until);
    }

    synchronized void passed() {
        backoff = Duration.ZERO;
        until = Instant.MIN;
    }

    /**
     * Ends the isolation once the test ran {@link Blame#WINDOW} alone without an incident; for a test never proven
     * ({@link Blame#proven}): whether it ended.
     */
    synchronized boolean release(Instant now) {
        return !now.isBefore(lastIncident.plus(Blame.WINDOW)) && releaseNow();
    }

    /** Ends the isolation now: the incidents that isolated the test count against another. Whether it ended. */
    synchronized boolean releaseNow() {
        if (!isolated) {
            return false;
        }
        isolated = false;
        backoff = Duration.ZERO;
        until = Instant.MIN;
        return true;
    }
}

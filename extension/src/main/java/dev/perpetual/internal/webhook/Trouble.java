package dev.perpetual.internal.webhook;

import java.util.Optional;

/** The last thing that went wrong with a routing's store, and when, for a wait's failure to mention. */
final class Trouble {

    private volatile long at;
    private volatile String what;

    void note(String what) {
        this.at = System.nanoTime();
        this.what = what;
    }

    /** What went wrong since {@code nanos} ({@link System#nanoTime()}). */
    Optional<String> since(long nanos) {
        String last = what;
        return last != null && at - nanos >= 0 ? Optional.of(last) : Optional.empty();
    }
}

package dev.perpetual.daemon.internal.schedule;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether the daemon is saturated: a run recorded within the last {@link #WINDOW} started more than {@link #LATE}
 * after its planned start, so the workers cannot start runs on time. While it is, ticks are skipped and counted
 * ({@code reason="saturated"}) rather than handed to workers that would start them later still, and the load sheds
 * until runs start on time again. Fed from the scheduler's own records; nanoTime-based.
 */
final class Saturation {

    /** A run that started later than this after its planned start was not started on time: {@value} ms. */
    static final long LATE_MILLIS = 1000;
    static final Duration LATE = Duration.ofMillis(LATE_MILLIS);

    /** How long one late start keeps the daemon saturated: {@value} ms. */
    static final long WINDOW_MILLIS = 5000;
    static final Duration WINDOW = Duration.ofMillis(WINDOW_MILLIS);

    /** When (nanoTime) the last late start was recorded; valid only when {@link #seen}. */
    private volatile long lastLateNanos;
    private volatile boolean seen;

    /** A run planned at {@code plannedNanos} started {@code latenessNanos} after it, recorded at {@code nowNanos}. */
    void started(long latenessNanos, long nowNanos) {
        if (latenessNanos > TimeUnit.MILLISECONDS.toNanos(LATE_MILLIS)) {
            lastLateNanos = nowNanos;
            seen = true;
        }
    }

    /** Whether a late start was recorded within the window before {@code nowNanos}. */
    boolean saturated(long nowNanos) {
        return seen && nowNanos - lastLateNanos < TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
    }
}

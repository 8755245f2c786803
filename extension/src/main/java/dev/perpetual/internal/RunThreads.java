package dev.perpetual.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs test methods so a run can be abandoned at its deadline, in one of two ways: {@link #call} hands the method to a
 * pooled thread ({@link PooledRuns}); {@link #callHere} runs it on the calling thread, which a host lent for that,
 * under one timer ({@link LentThreadDeadlines}). Either way a thread whose run timed out and that has not returned yet
 * is counted as stuck. Lives as long as the launcher session.
 */
final class RunThreads implements AutoCloseable {

    /** How long an interrupted body may take to stop before its thread is called stuck. */
    static final long SETTLE_MILLIS = 100;

    private final AtomicInteger stuck = new AtomicInteger();
    private final PooledRuns pooled = new PooledRuns(stuck);
    private final LentThreadDeadlines lent = new LentThreadDeadlines(stuck);

    /**
     * Runs {@code body} on a pooled thread and waits for it at most {@code timeoutNanos}.
     *
     * @throws TimedOut when the deadline passed first; the body's thread has been interrupted and its stack taken
     * @throws Throwable whatever the body threw
     */
    <T> T call(Body<T> body, long timeoutNanos) throws Throwable {
        return pooled.call(body, timeoutNanos);
    }

    /**
     * Runs {@code body} on the calling thread; see {@link LentThreadDeadlines#callHere}.
     *
     * @throws TimedOut when the deadline passed first
     * @throws Throwable whatever the body threw
     */
    <T> T callHere(Body<T> body, long timeoutNanos, Consumer<TimedOut> onAbandoned) throws Throwable {
        return lent.callHere(body, timeoutNanos, onAbandoned);
    }

    /** Threads whose run timed out and that are still running. */
    int stuck() {
        return stuck.get();
    }

    @Override
    public void close() {
        pooled.close();
        lent.close();
    }

    /** Test code: may throw anything. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Throwable;
    }

    /** The deadline passed while the body was still running. */
    static final class TimedOut extends Exception {

        private static final long serialVersionUID = 1L;

        final transient StackTraceElement[] threadStack;
        final boolean threadStillRunning;

        TimedOut(StackTraceElement[] threadStack, boolean threadStillRunning) {
            super(null, null, false, false);
            this.threadStack = threadStack;
            this.threadStillRunning = threadStillRunning;
        }
    }
}

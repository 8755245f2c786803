package dev.perpetual.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.perpetual.internal.RunThreads.Body;
import dev.perpetual.internal.RunThreads.TimedOut;

/**
 * Runs test methods on the thread a host lent ({@code PerpetualHost.lendsCurrentThread()}), with one timer thread
 * for all of them that interrupts a thread at its deadline and gives it up if it has not returned a settle later:
 * no hand-off and no thread wake-up per run.
 */
final class LentThreadDeadlines implements AutoCloseable {

    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(RunThreads.SETTLE_MILLIS);
    private static final long NONE = Long.MAX_VALUE;

    private final AtomicInteger stuck;
    /** The {@link #callHere} calls going on, watched by the timer. */
    private final Set<HereCall> watched = ConcurrentHashMap.newKeySet();
    /** When the timer will next look at {@link #watched}; {@link #NONE} while it looks, or sleeps without end. */
    private volatile long wakeAt = NONE;
    private volatile boolean closed;
    private volatile Thread timer;

    /** {@code stuck}: counts the threads whose run timed out and that are still running. */
    LentThreadDeadlines(AtomicInteger stuck) {
        this.stuck = stuck;
    }

    /**
     * Runs {@code body} on the calling thread. At the deadline the thread's stack is taken and the thread
     * interrupted. If {@code body} has not returned {@value RunThreads#SETTLE_MILLIS} ms later, {@code onAbandoned} gets the
     * {@link TimedOut} (its thread still running) on a new thread, and the calling thread is counted as stuck until
     * {@code body} returns, if ever.
     *
     * @throws TimedOut when the deadline passed first: after {@code body} returned, the interrupt cleared; if
     *                  {@code onAbandoned} was called, {@code threadStillRunning} is true
     * @throws Throwable whatever the body threw
     */
    <T> T callHere(Body<T> body, long timeoutNanos, Consumer<TimedOut> onAbandoned) throws Throwable {
        HereCall call = new HereCall(Thread.currentThread(), System.nanoTime() + Math.max(0, timeoutNanos),
                onAbandoned);
        watch(call);
        T result = null;
        Throwable thrown = null;
        try {
            result = body.run();
        }
        catch (Throwable t) {
            thrown = t;
        }
        int before = call.returned();
        watched.remove(call);
        if (before != HereCall.RUNNING) {
            Thread.interrupted(); // the timer's interrupt, not the caller's business
            throw new TimedOut(call.stack, before == HereCall.ABANDONED);
        }
        if (thrown != null) {
            throw thrown;
        }
        return result;
    }

    private void watch(HereCall call) {
        Thread sleeper = timer;
        if (sleeper == null) {
            sleeper = startTimer();
        }
        watched.add(call);
        long planned = wakeAt;
        if (planned == NONE || call.deadline - planned < 0) {
            LockSupport.unpark(sleeper);
        }
    }

    private synchronized Thread startTimer() {
        if (timer == null) {
            Thread thread = new Thread(this::watchDeadlines, "perpetual-deadlines");
            thread.setDaemon(true);
            thread.start();
            timer = thread;
        }
        return timer;
    }

    /**
     * The timer: sleeps until the earliest deadline it knew of when it last looked. A call registered with a later
     * deadline does not wake it (the usual case: runs end in time, and their successors' deadlines are later), so
     * it wakes about once per timeout, not once per run.
     */
    private void watchDeadlines() {
        while (!closed) {
            wakeAt = NONE; // from here on, every new call wakes the timer: it may be missed by the loop below
            long now = System.nanoTime();
            long next = NONE;
            for (HereCall call : watched) {
                if (call.deadline - now <= 0) {
                    call.expire(now);
                }
                if (call.watched() && (next == NONE || call.deadline - next < 0)) {
                    next = call.deadline;
                }
            }
            wakeAt = next;
            if (next == NONE) {
                LockSupport.park(this);
            }
            else {
                LockSupport.parkNanos(this, next - now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(timer);
    }

    /** A body running on its caller's thread, and where it stands against its deadline. */
    private final class HereCall {

        static final int RUNNING = 0;
        static final int INTERRUPTED = 1;
        static final int ABANDONED = 2;
        static final int RETURNED = 3;

        private final Thread thread;
        private final Consumer<TimedOut> onAbandoned;
        /** The deadline, then the end of the settle. Written by the timer only. */
        volatile long deadline;
        private int state = RUNNING;
        StackTraceElement[] stack = new StackTraceElement[0];

        HereCall(Thread thread, long deadline, Consumer<TimedOut> onAbandoned) {
            this.thread = thread;
            this.deadline = deadline;
            this.onAbandoned = onAbandoned;
        }

        /** The body returned; what the state was. */
        synchronized int returned() {
            int before = state;
            state = RETURNED;
            if (before == ABANDONED) {
                stuck.decrementAndGet();
            }
            return before;
        }

        synchronized boolean watched() {
            return state == RUNNING || state == INTERRUPTED;
        }

        /** On the timer: the deadline, or the end of the settle, has come. */
        void expire(long now) {
            synchronized (this) {
                if (state == RUNNING) {
                    stack = thread.getStackTrace();
                    state = INTERRUPTED;
                    deadline = now + SETTLE_NANOS;
                    thread.interrupt();
                    return;
                }
                if (state != INTERRUPTED) {
                    watched.remove(this);
                    return;
                }
                state = ABANDONED;
                stuck.incrementAndGet();
            }
            watched.remove(this);
            TimedOut timedOut = new TimedOut(stack, true);
            Thread finisher = new Thread(() -> onAbandoned.accept(timedOut), "perpetual-abandoned-" + thread.getName());
            finisher.setDaemon(true);
            finisher.setContextClassLoader(thread.getContextClassLoader());
            finisher.start();
        }
    }
}

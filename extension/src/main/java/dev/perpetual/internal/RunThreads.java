package dev.perpetual.internal;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs test methods so a run can be abandoned at its deadline, in one of two ways. {@link #call} hands the method to
 * a pooled thread and waits for it at most until the deadline (threads are reused across runs: a thread per run
 * would double JUnit's per-run cost). {@link #callHere} runs it on the calling thread, which a host lent for that
 * ({@code PerpetualHost.lendsCurrentThread()}), and one timer thread interrupts that thread at the deadline and gives
 * it up if it has not returned a settle later: no hand-off, no thread wake-up per run. Either way a thread whose run
 * timed out and that has not returned yet is counted as stuck. Lives as long as the launcher session.
 */
final class RunThreads implements AutoCloseable {

    /** How long an interrupted body may take to stop before its thread is called stuck. */
    private static final long SETTLE_MILLIS = 100;

    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    private static final long NONE = Long.MAX_VALUE;

    private final AtomicInteger stuck = new AtomicInteger();
    private final ThreadPoolExecutor pool;
    /** The {@link #callHere} calls going on, watched by the timer. */
    private final Set<HereCall> watched = ConcurrentHashMap.newKeySet();
    /** When the timer will next look at {@link #watched}; {@link #NONE} while it looks, or sleeps without end. */
    private volatile long wakeAt = NONE;
    private volatile boolean closed;
    private volatile Thread timer;

    RunThreads() {
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "perpetual-run-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Runs {@code body} on a pooled thread and waits for it at most {@code timeoutNanos}.
     *
     * @throws TimedOut when the deadline passed first; the body's thread has been interrupted and its stack taken
     * @throws Throwable whatever the body threw
     */
    <T> T call(Body<T> body, long timeoutNanos) throws Throwable {
        TrackedCall<T> call = new TrackedCall<>(body);
        Future<T> future = pool.submit(call);
        try {
            return future.get(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        }
        catch (ExecutionException e) {
            throw e.getCause();
        }
        catch (TimeoutException e) {
            StackTraceElement[] stack = call.abandon();
            future.cancel(true); // a body that has not started yet never will
            throw new TimedOut(stack, !call.awaitFinish(SETTLE_MILLIS));
        }
        catch (InterruptedException e) {
            call.abandon();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /**
     * Runs {@code body} on the calling thread. At the deadline the thread's stack is taken and the thread
     * interrupted. If {@code body} has not returned {@value #SETTLE_MILLIS} ms later, {@code onAbandoned} gets the
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

    /** Threads whose run timed out and that are still running. */
    int stuck() {
        return stuck.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        closed = true;
        LockSupport.unpark(timer);
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

    private final class TrackedCall<T> implements Callable<T> {

        private final Body<T> body;
        private Thread thread;
        private boolean finished;
        private boolean abandoned;

        TrackedCall(Body<T> body) {
            this.body = body;
        }

        @Override
        public T call() throws Exception {
            synchronized (this) {
                thread = Thread.currentThread();
            }
            try {
                return body.run();
            }
            catch (Throwable thrown) {
                throw Sneaky.<Exception>rethrow(thrown);
            }
            finally {
                synchronized (this) {
                    finished = true;
                    thread = null;
                    if (abandoned) {
                        stuck.decrementAndGet();
                    }
                    notifyAll();
                }
                Thread.interrupted(); // do not hand an interrupt on to the pool's next task
            }
        }

        synchronized StackTraceElement[] abandon() {
            if (finished || thread == null) {
                return new StackTraceElement[0];
            }
            abandoned = true;
            stuck.incrementAndGet();
            StackTraceElement[] stack = thread.getStackTrace();
            thread.interrupt();
            return stack;
        }

        /** Waits up to {@code millis} for the body to end; true when it has (or never started). */
        synchronized boolean awaitFinish(long millis) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long left;
            while (thread != null && (left = end - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return thread == null;
        }
    }
}

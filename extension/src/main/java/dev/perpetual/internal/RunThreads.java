package dev.perpetual.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run test methods so a run can be abandoned at its deadline. Threads are reused across runs (a
 * thread per run would double JUnit's per-run cost); a thread whose run timed out and that has not returned yet
 * is counted as stuck. Lives as long as the launcher session.
 */
final class RunThreads implements AutoCloseable {

    /** How long an interrupted body may take to stop before its thread is called stuck. */
    private static final long SETTLE_MILLIS = 100;

    private final AtomicInteger stuck = new AtomicInteger();
    private final ThreadPoolExecutor pool;

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

    /** Threads whose run timed out and that are still running. */
    int stuck() {
        return stuck.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
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

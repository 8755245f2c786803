package dev.perpetual.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.internal.RunThreads.Body;
import dev.perpetual.internal.RunThreads.TimedOut;

/**
 * Hands test methods to pooled threads and waits for each at most until its deadline. Threads are reused across runs:
 * a thread per run would double JUnit's per-run cost.
 */
final class PooledRuns implements AutoCloseable {

    private final AtomicInteger stuck;
    private final ThreadPoolExecutor pool;

    /** {@code stuck}: counts the threads whose run timed out and that are still running. */
    PooledRuns(AtomicInteger stuck) {
        this.stuck = stuck;
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
            throw new TimedOut(stack, !call.awaitFinish(RunThreads.SETTLE_MILLIS));
        }
        catch (InterruptedException e) {
            call.abandon();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
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

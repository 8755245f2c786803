package dev.perpetual.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Cleanups registered through {@code O.cleanup}, run last registered first, each whatever the others do. */
final class Cleanups {

    private final Deque<AutoCloseable> registered = new ArrayDeque<>();

    synchronized void add(AutoCloseable cleanup) {
        registered.push(cleanup);
    }

    /** Runs and forgets every cleanup; returns what they threw, in the order they ran. */
    List<Throwable> runAll() {
        List<Throwable> failures = new ArrayList<>();
        AutoCloseable next;
        while ((next = poll()) != null) {
            try {
                next.close();
            }
            catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failures.add(t);
            }
        }
        return failures;
    }

    private synchronized AutoCloseable poll() {
        return registered.poll();
    }
}

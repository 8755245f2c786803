package dev.perpetual.daemon.internal.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into a graceful shutdown run by the main thread, which then exits 0 (a JVM ended by the
 * default signal handling exits 143 or 130). Where signal handlers cannot be installed, a shutdown hook starts the
 * same shutdown and waits for it.
 */
final class Signals {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Runnable onRequest = () -> { };

    private Signals() {
    }

    /** Installs the handlers; {@code maxShutdown} bounds how long a shutdown hook waits for the shutdown. */
    static Signals install(java.time.Duration maxShutdown) {
        Signals signals = new Signals();
        for (String name : new String[] { "TERM", "INT" }) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signals.request());
            }
            catch (IllegalArgumentException | LinkageError e) {
                // not supported here; the shutdown hook below still applies
            }
        }
        Thread hook = new Thread(() -> {
            signals.request();
            try {
                signals.done.await(maxShutdown.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "perpetual-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        return signals;
    }

    /** Runs {@code action} when a shutdown is asked for (at once if it already was), such as interrupting a thread. */
    void onRequest(Runnable action) {
        onRequest = action;
        if (requested.getCount() == 0) {
            action.run();
        }
    }

    private void request() {
        requested.countDown();
        onRequest.run();
    }

    /** Blocks until a shutdown is asked for. */
    void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /** The shutdown is complete; a waiting shutdown hook may let the JVM end. */
    void shutdownDone() {
        done.countDown();
    }
}

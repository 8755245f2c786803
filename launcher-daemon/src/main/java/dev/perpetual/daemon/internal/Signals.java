package dev.perpetual.daemon.internal;

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

    private Signals() {
    }

    /** Installs the handlers; {@code maxShutdown} bounds how long a shutdown hook waits for the shutdown. */
    static Signals install(java.time.Duration maxShutdown) {
        Signals signals = new Signals();
        for (String name : new String[] { "TERM", "INT" }) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signals.requested.countDown());
            }
            catch (IllegalArgumentException | LinkageError e) {
                // not supported here; the shutdown hook below still applies
            }
        }
        Thread hook = new Thread(() -> {
            signals.requested.countDown();
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

    /** Blocks until a shutdown is asked for. */
    void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /** The shutdown is complete; a waiting shutdown hook may let the JVM end. */
    void shutdownDone() {
        done.countDown();
    }
}

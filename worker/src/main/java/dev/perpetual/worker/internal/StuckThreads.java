package dev.perpetual.worker.internal;

/**
 * Told when a test's thread passes its deadline and is abandoned, and when it returns at last: the one source of the
 * worker's stuck-thread count, sent on to the supervisor as {@link Message.Stuck}.
 */
interface StuckThreads {

    void abandoned(String test, Thread thread);

    void returned(String test, Thread thread);
}

package dev.perpetual.internal.webhook;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.sun.net.httpserver.Headers;

/**
 * Where expectations are known beyond this JVM, and where a delivery goes that no run of this JVM expects. Every
 * replica keeps its own runs' expectations in its {@link Channel}s; a routing makes them known fleet-wide.
 *
 * <ul>
 * <li>{@link #LOCAL} ({@code perpetual.webhooks.store=memory}, the default): one daemon, nothing to share; a
 * delivery nobody here expects is unmatched at once.</li>
 * <li>{@link RedisRouting} ({@code redis}): expectations are registered in Redis, and a delivery for a key expected
 * on another replica goes to that replica's inbox there.</li>
 * </ul>
 */
interface Routing extends AutoCloseable {

    /** The answer to a delivery that was taken: 200. */
    CompletionStage<Integer> TAKEN = CompletableFuture.completedStage(200);

    /** The in-memory store: nothing beyond this JVM. */
    Routing LOCAL = new Routing() {
        @Override
        public void register(Expectation expectation) {
        }

        @Override
        public void unregister(Expectation expectation) {
        }

        @Override
        public CompletionStage<Integer> route(Channel channel, String key, byte[] body, Headers headers) {
            channel.unmatched(key);
            return TAKEN;
        }

        @Override
        public Optional<String> troubleSince(long nanos) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };

    /**
     * Makes {@code expectation}, already in its channel here, known fleet-wide before it returns; hands it any
     * delivery that arrived for its key earlier.
     *
     * @throws IllegalStateException when another replica's run expects the same key
     * @throws RoutingException      when the store cannot be reached
     */
    void register(Expectation expectation);

    /** The run ended; failures are not thrown (the registration expires by itself). */
    void unregister(Expectation expectation);

    /**
     * A delivery for {@code key}, which no run here expects; the HTTP status for its sender, once known. Never
     * blocks: the receiving thread goes on to the next request meanwhile.
     */
    CompletionStage<Integer> route(Channel channel, String key, byte[] body, Headers headers);

    /** What went wrong with the store since {@code nanos} ({@link System#nanoTime()}), for a wait's failure. */
    Optional<String> troubleSince(long nanos);

    @Override
    void close();
}

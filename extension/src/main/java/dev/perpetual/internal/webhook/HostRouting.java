package dev.perpetual.internal.webhook;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.sun.net.httpserver.Headers;
import dev.perpetual.spi.WebhookRouter;

/**
 * Routing through the host ({@link WebhookRouter}): the daemon's workers share one webhook port, and the supervisor
 * knows which worker's run expects each key.
 */
final class HostRouting implements Routing {

    private final WebhookRouter router;
    private final Trouble trouble = new Trouble();

    HostRouting(WebhookRouter router) {
        this.router = router;
    }

    @Override
    public void register(Expectation expectation) {
        try {
            router.expect(expectation.channel.name, expectation.key(), expectation.run.runId);
        }
        catch (IllegalStateException e) {
            throw e; // another worker's run expects the key: the host's message names it
        }
        catch (RuntimeException e) {
            trouble.note("the daemon did not take the expectation: " + e.getMessage());
            throw new RoutingException("Expecting key '" + expectation.key() + "' on channel '"
                    + expectation.channel.name + "': the daemon that routes webhooks between its workers did not "
                    + "answer (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void unregister(Expectation expectation) {
        router.unexpect(expectation.channel.name, expectation.key(), expectation.run.runId);
    }

    @Override
    public CompletionStage<Integer> route(Channel channel, String key, byte[] body, Headers headers) {
        return router.route(channel.name, key, body, Delivery.lowerCase(headers));
    }

    @Override
    public Optional<String> troubleSince(long nanos) {
        return trouble.since(nanos);
    }

    @Override
    public void close() {
    }
}

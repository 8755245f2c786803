package dev.perpetual.internal.webhook;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import dev.perpetual.spi.WebhookEndpoint;

/**
 * Decides what a request to {@code /webhooks/{channel}} gets, whichever server read it. The hot path allocates
 * little: one substring for the channel; headers are copied only for a delivery that matches, and failure texts are
 * built only when a wait fails.
 *
 * <ul>
 * <li>404: a channel name outside {@value Channel#NAME_FORM}, or one channel too many;</li>
 * <li>405: not a POST; 413: a body over {@code perpetual.webhooks.max-body};</li>
 * <li>401: a bad or missing signature when {@code perpetual.webhooks.secret} is set;</li>
 * <li>503 when the receiver is closed, or the delivery is for no run here and the shared store
 * ({@code perpetual.webhooks.store=redis}) cannot take it: the sender keeps it and retries;</li>
 * <li>500 when a channel's key configuration fails on it;</li>
 * <li>200 for every other delivery, matched or not, so that the sender does not retry forever.</li>
 * </ul>
 */
final class Intake implements WebhookEndpoint {

    static final String PREFIX = "/webhooks/";

    private final WebhookReceiver receiver;
    private final Signatures signatures;
    private final WebhookHandler httpHandler;

    Intake(WebhookReceiver receiver) {
        this.receiver = receiver;
        this.signatures = receiver.settings.signatures.orElse(null);
        this.httpHandler = new WebhookHandler(this);
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(receiver.settings.bindAddress, receiver.settings.port);
    }

    @Override
    public int threads() {
        return receiver.settings.threads;
    }

    @Override
    public int maxBody() {
        return receiver.settings.maxBody;
    }

    @Override
    public boolean deliverRouted(String channel, String key, byte[] body, Map<String, List<String>> headers,
            Instant receivedAt) {
        return receiver.deliverRouted(channel, key, body, headers, receivedAt);
    }

    @Override
    public HttpHandler httpHandler() {
        return httpHandler;
    }

    @Override
    public void serve(String method, String rawPath, Headers headers, byte[] body, IntConsumer answer) {
        int status;
        try {
            status = decide(method, rawPath, headers, body, answer);
        }
        catch (RuntimeException e) { // such as a channel's bad key configuration
            status = 500;
        }
        if (status != 0) {
            answer.accept(status);
        }
    }

    /** The status, or 0 when {@code answer} is called later, once the routing has taken the delivery or not. */
    private int decide(String method, String path, Headers headers, byte[] body, IntConsumer answer) {
        if (receiver.isClosed()) {
            return 503;
        }
        int end = path.length() > PREFIX.length() && path.charAt(path.length() - 1) == '/' ? path.length() - 1
                : path.length();
        if (!path.startsWith(PREFIX) || !Channel.isValidName(path, PREFIX.length(), end)) {
            return 404;
        }
        Channel channel = receiver.channelOrNull(path.substring(PREFIX.length(), end));
        if (channel == null) {
            return 404;
        }
        if (!"POST".equals(method)) {
            channel.rejected();
            return 405;
        }
        if (body == null) {
            channel.rejected();
            return 413;
        }
        if (signatures != null && signatures.reject(headers, body, System.currentTimeMillis() / 1000) != null) {
            channel.rejected();
            return 401;
        }
        String key = channel.extractor.extract(body, headers);
        if (key == null) {
            channel.unmatched(new Channel.NoKey(channel.extractor.whyNoKey(body, headers)));
            return 200;
        }
        Expectation expectation = channel.expectations.get(key);
        if (expectation == null) { // unmatched, or for another replica
            receiver.routing.route(channel, key, body, headers)
                    .whenComplete((status, failure) -> answer.accept(failure == null ? status : 503));
            return 0;
        }
        expectation.deliver(body, headers);
        return 200;
    }
}

package dev.perpetual.internal.webhook;

import java.io.IOException;
import java.io.InputStream;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code POST /webhooks/{channel}}. The hot path allocates little: the body array, one substring for the
 * channel; headers are copied only for a delivery that matches, and failure texts are built only when a wait fails.
 *
 * <ul>
 * <li>404: a channel name outside {@value Channel#NAME_FORM}, or one channel too many;</li>
 * <li>405: not a POST; 413: a body over {@code perpetual.webhooks.max-body}, never read past the limit;</li>
 * <li>401: a bad or missing signature when {@code perpetual.webhooks.secret} is set;</li>
 * <li>503 when the delivery is for no run here and the shared store ({@code perpetual.webhooks.store=redis})
 * cannot take it: the sender keeps it and retries;</li>
 * <li>200 for every other delivery, matched or not, so that the sender does not retry forever.</li>
 * </ul>
 */
final class WebhookHandler implements HttpHandler {

    private static final String PREFIX = "/webhooks/";
    private static final int LATER = -1;

    private final WebhookReceiver receiver;
    private final int maxBody;
    private final Signatures signatures;

    WebhookHandler(WebhookReceiver receiver) {
        this.receiver = receiver;
        this.maxBody = receiver.settings.maxBody;
        this.signatures = receiver.settings.signatures.orElse(null);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        int status;
        try {
            status = serve(exchange);
        }
        catch (RuntimeException e) { // such as a channel's bad key configuration
            status = 500;
        }
        catch (IOException e) {
            exchange.close();
            throw e;
        }
        if (status != LATER) {
            try {
                exchange.sendResponseHeaders(status, -1);
            }
            finally {
                exchange.close();
            }
        }
    }

    /**
     * Answers a routed delivery on the thread that learnt its fate (for Redis, the client's I/O thread): a response
     * without a body fits the socket's buffer, so this does not block.
     */
    private static void answerLater(HttpExchange exchange, Integer status, Throwable failure) {
        try {
            exchange.sendResponseHeaders(failure == null ? status : 503, -1);
        }
        catch (IOException e) {
            // the sender has gone: nobody to answer
        }
        finally {
            exchange.close();
        }
    }

    private int serve(HttpExchange exchange) throws IOException {
        if (receiver.isClosed()) {
            return 503;
        }
        String path = exchange.getRequestURI().getRawPath();
        int end = path.length() > PREFIX.length() && path.charAt(path.length() - 1) == '/' ? path.length() - 1
                : path.length();
        if (!path.startsWith(PREFIX) || !Channel.isValidName(path, PREFIX.length(), end)) {
            return 404;
        }
        Channel channel = receiver.channelOrNull(path.substring(PREFIX.length(), end));
        if (channel == null) {
            return 404;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            channel.rejected();
            exchange.getResponseHeaders().set("Allow", "POST");
            return 405;
        }
        Headers headers = exchange.getRequestHeaders();
        byte[] body = readBody(exchange.getRequestBody(), headers.getFirst("Content-Length"));
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
                    .whenComplete((status, failure) -> answerLater(exchange, status, failure));
            return LATER;
        }
        expectation.deliver(body, headers);
        return 200;
    }

    /** The body, or {@code null} when it is larger than the limit; reads at most one byte past the limit. */
    private byte[] readBody(InputStream in, String contentLength) throws IOException {
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.strip());
            }
            catch (NumberFormatException e) {
                length = -1;
            }
            if (length > maxBody) {
                return null;
            }
            if (length >= 0) {
                byte[] body = new byte[(int) length];
                int read = in.readNBytes(body, 0, body.length);
                if (read < body.length) {
                    throw new IOException("The sender closed the connection after " + read + " of " + length
                            + " bytes");
                }
                return body;
            }
        }
        byte[] body = in.readNBytes(maxBody + 1); // chunked: grows as it reads, stops one byte past the limit
        return body.length > maxBody ? null : body;
    }
}

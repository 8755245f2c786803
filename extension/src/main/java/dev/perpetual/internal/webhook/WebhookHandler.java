package dev.perpetual.internal.webhook;

import java.io.IOException;
import java.io.InputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The {@link Intake} on a JDK {@code HttpServer}: reads the body (never past {@code perpetual.webhooks.max-body}),
 * and sends the intake's status without a body. A routed delivery is answered on the thread that learnt its fate
 * (for Redis, the client's I/O thread): a response without a body fits the socket's buffer, so that does not block.
 */
final class WebhookHandler implements HttpHandler {

    private final Intake intake;
    private final int maxBody;

    WebhookHandler(Intake intake) {
        this.intake = intake;
        this.maxBody = intake.maxBody();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try {
            body = readBody(exchange.getRequestBody(), exchange.getRequestHeaders().getFirst("Content-Length"));
        }
        catch (IOException e) {
            exchange.close();
            throw e;
        }
        intake.serve(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(), body, status -> answer(exchange, status));
    }

    private static void answer(HttpExchange exchange, int status) {
        try {
            if (status == 405) {
                exchange.getResponseHeaders().set("Allow", "POST");
            }
            exchange.sendResponseHeaders(status, -1);
        }
        catch (IOException e) {
            // the sender has gone: nobody to answer
        }
        finally {
            exchange.close();
        }
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

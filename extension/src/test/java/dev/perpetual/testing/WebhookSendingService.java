package dev.perpetual.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP service on a free loopback port standing in for an asynchronous pipeline: {@code POST /send?to=<url>}
 * answers 202 at once, then, on a thread of its own, posts the same body to {@code url}: passing on the
 * {@code traceparent}, {@code tracestate} and {@code baggage} it received ({@link #echoing()}), or dropping them, as a
 * queue that does not carry them would ({@link #dropping()}).
 */
public final class WebhookSendingService implements AutoCloseable {

    private static final String[] CONTEXT = { "traceparent", "tracestate", "baggage" };

    private final HttpServer server;
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor();
    private final HttpClient client = HttpClient.newHttpClient();
    private final boolean echo;

    private WebhookSendingService(boolean echo) throws IOException {
        this.echo = echo;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/send", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String query = exchange.getRequestURI().getRawQuery();
            URI to = URI.create(URLDecoder.decode(query.substring("to=".length()), StandardCharsets.UTF_8));
            HttpRequest.Builder webhook = HttpRequest.newBuilder(to).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (this.echo) {
                for (String name : CONTEXT) {
                    String value = exchange.getRequestHeaders().getFirst(name);
                    if (value != null) {
                        webhook.header(name, value);
                    }
                }
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            deliveries.execute(() -> {
                try {
                    client.send(webhook.build(), HttpResponse.BodyHandlers.discarding());
                }
                catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("could not deliver to " + to, e);
                }
            });
        });
        server.start();
    }

    /** A service whose webhooks carry the trace context of the request that caused them. */
    public static WebhookSendingService echoing() throws IOException {
        return new WebhookSendingService(true);
    }

    /** A service whose webhooks lose it. */
    public static WebhookSendingService dropping() throws IOException {
        return new WebhookSendingService(false);
    }

    /** {@code http://127.0.0.1:<port>/send}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/send");
    }

    @Override
    public void close() {
        server.stop(0);
        deliveries.shutdownNow();
    }
}

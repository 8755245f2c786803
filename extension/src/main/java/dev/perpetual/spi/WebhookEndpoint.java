package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import org.apiguardian.api.API;

/**
 * The launcher session's webhook receiver as a {@link PerpetualHost} serves it: whatever HTTP server the host runs
 * reads each request under {@code /webhooks/} whole and hands it to {@link #serve}, which answers with a status and
 * never blocks on anything but its own work. The extension implements it; hosts only call it.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface WebhookEndpoint {

    /**
     * Where the session's configuration asks webhooks to be served ({@code perpetual.webhooks.bind-address} and
     * {@code perpetual.webhooks.port}, port 0 for any free one), for a host that serves them on a server of their own.
     */
    InetSocketAddress address();

    /** {@code perpetual.webhooks.threads}: how many threads the host's server may use; 0 leaves it to the host. */
    int threads();

    /** The largest body accepted ({@code perpetual.webhooks.max-body}); a larger one is not read, only its size. */
    int maxBody();

    /**
     * Serves one request. {@code answer} is called exactly once with the HTTP status (405 expects an
     * {@code Allow: POST} header), possibly later and from another thread: a delivery routed to another replica is
     * answered when that replica has taken it. Never throws.
     *
     * @param method  the request method, such as {@code POST}
     * @param rawPath the request's path, not decoded, without its query
     * @param headers the request headers
     * @param body    the whole body, or {@code null} when it is larger than {@link #maxBody()}
     * @param answer  takes the status of the response, which has no body
     */
    void serve(String method, String rawPath, Headers headers, byte[] body, IntConsumer answer);

    /**
     * A delivery another process of the host received for a run of this one ({@link WebhookRouter}).
     *
     * @param headers    lower-case header names and their values
     * @param receivedAt when the other process received it
     * @return whether a run here still expected it (else it is counted unmatched)
     */
    boolean deliverRouted(String channel, String key, byte[] body, Map<String, List<String>> headers,
            Instant receivedAt);

    /** The same receiver as a handler for the JDK's own {@code HttpServer}, to mount under {@code /webhooks/}. */
    HttpHandler httpHandler();
}

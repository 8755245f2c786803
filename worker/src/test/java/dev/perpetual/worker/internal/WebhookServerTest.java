package dev.perpetual.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.perpetual.PendingWebhook;
import dev.perpetual.ReceivedWebhook;
import dev.perpetual.internal.webhook.RunWebhooks;
import dev.perpetual.internal.webhook.WebhookReceiver;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.spi.WebhookEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's webhook port, serving the extension's real receiver, spoken to over raw sockets. */
class WebhookServerTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private Host host;
    private WebhookReceiver receiver;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (host != null && host.server != null) {
            host.server.close();
        }
    }

    @Test
    void a_delivery_reaches_the_run_that_expects_it_and_the_url_names_the_port() {
        start(Duration.ofSeconds(30), "1MiB");
        RunWebhooks run = openRun();
        PendingWebhook pending = run.expect("k-1");

        assertThat(run.url()).isEqualTo(URI.create("http://127.0.0.1:" + port() + "/webhooks/default"));
        assertThat(exchange(post("/webhooks/default", "{\"id\":\"k-1\"}", "X-Trace: abc"))).startsWith(
                "HTTP/1.1 200 OK\r\n");
        ReceivedWebhook received = pending.await(Duration.ofSeconds(5));
        assertThat(received.body()).isEqualTo("{\"id\":\"k-1\"}");
        assertThat(received.header("x-trace")).contains("abc");
        assertThat(host.served).isEqualTo(URI.create("http://127.0.0.1:" + port()));
    }

    @Test
    void one_connection_carries_request_after_request() throws IOException {
        start(Duration.ofSeconds(30), "1MiB");
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(post("/webhooks/default", "{\"id\":\"x-" + i + "\"}", null));
                assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n");
            }
        }
    }

    @Test
    void bad_requests_get_the_status_that_names_what_is_wrong() {
        start(Duration.ofSeconds(30), "64");
        assertThat(exchange(post("/webhooks/no%20such", "{}", null))).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(exchange(ascii("GET /webhooks/default HTTP/1.1\r\nHost: x\r\n\r\n")))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").containsIgnoringCase("allow: POST\r\n");
        assertThat(exchange(post("/webhooks/default", "{\"id\":\"" + "x".repeat(100) + "\"}", null)))
                .startsWith("HTTP/1.1 413 Request Entity Too Large\r\n").containsIgnoringCase("connection: close");
    }

    @Test
    void a_chunked_body_is_read_whole_and_one_over_the_limit_is_refused() {
        start(Duration.ofSeconds(30), "64");
        RunWebhooks run = openRun();
        PendingWebhook pending = run.expect("k-2");

        assertThat(exchange(ascii("POST /webhooks/default HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"id\"\r\n7\r\n:\"k-2\"}\r\n0\r\n\r\n"))).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(pending.await(Duration.ofSeconds(5)).body()).isEqualTo("{\"id\":\"k-2\"}");

        String big = "x".repeat(40);
        assertThat(exchange(ascii("POST /webhooks/default HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "28\r\n" + big + "\r\n28\r\n" + big + "\r\n0\r\n\r\n")))
                .startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    }

    @Test
    void a_connection_that_does_not_send_a_whole_request_in_time_is_closed() throws IOException {
        start(Duration.ofMillis(300), "1MiB");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(ascii("POST /webhooks/default HTTP/1.1\r\nHost: x\r\n"));
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void deliveries_are_taken_while_200_connections_trickle_their_requests() throws IOException {
        start(Duration.ofSeconds(30), "1MiB");
        for (int i = 0; i < 200; i++) {
            Socket slow = connect();
            open.add(slow);
            slow.getOutputStream().write(ascii("POST /webhooks/default HTTP/1.1\r\nHost: x\r\nContent-Le"));
        }
        RunWebhooks run = openRun();
        PendingWebhook pending = run.expect("k-3");

        assertThat(exchange(post("/webhooks/default", "{\"id\":\"k-3\"}", null))).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(pending.await(Duration.ofSeconds(5)).key()).isEqualTo("k-3");
    }

    private void start(Duration requestTime, String maxBody) {
        host = new Host(requestTime);
        Map<String, String> config = Map.of("perpetual.webhooks.bind-address", "127.0.0.1",
                "perpetual.webhooks.max-body", maxBody);
        receiver = WebhookReceiver.start(key -> Optional.ofNullable(config.get(key)), Optional.of(host),
                new SimpleMeterRegistry());
    }

    private RunWebhooks openRun() {
        return receiver.openRun("Probe.test", "r-1", Instant.now().plusSeconds(30), new SimpleMeterRegistry());
    }

    private int port() {
        return host.server.url().getPort();
    }

    private Socket connect() throws IOException {
        return new Socket("127.0.0.1", port());
    }

    /** One request on a connection of its own, and everything the server sent until it answered. */
    private String exchange(byte[] request) {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            return readResponse(socket.getInputStream());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status line and headers of one response (these responses have no body). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static byte[] post(String path, String body, String header) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (header == null ? "" : header + "\r\n") + "Content-Length: " + bytes.length + "\r\n\r\n" + body);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The worker's way of serving webhooks, without the rest of a worker. */
    private static final class Host implements PerpetualHost {
        final Duration requestTime;
        WebhookServer server;
        URI served;

        Host(Duration requestTime) {
            this.requestTime = requestTime;
        }

        @Override
        public MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Override
        public URI serveWebhooks(WebhookEndpoint endpoint) {
            server = WebhookServer.start(endpoint, requestTime, false);
            return server.url();
        }

        @Override
        public void webhooksServed(URI baseUrl) {
            served = baseUrl;
        }

        @Override
        public void runFinished(RunReport report) {
        }
    }
}

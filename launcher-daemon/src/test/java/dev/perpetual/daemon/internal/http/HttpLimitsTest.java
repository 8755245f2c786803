package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.Test;

/** The daemon's port answers every request it can, and a client that stops sending cannot hold it. */
class HttpLimitsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void requestsThatStopHalfwayDoNotBlockTheOthers() throws Exception {
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime"))
                .as("sun.net.httpserver.maxReqTime, set for the tests in the pom (PerpetualDaemon.main sets 30)")
                .isEqualTo("2");
        try (TestDaemon daemon = TestDaemon.of(List.of(), ProbeTestCase.class)) {
            List<Socket> stalled = new ArrayList<>();
            try {
                // More half-sent requests than the port has threads: headers that never end, a body that never comes.
                for (int i = 0; i < HttpApi.THREADS + 2; i++) {
                    Socket socket = new Socket("localhost", daemon.daemon.port());
                    String half = i % 2 == 0 ? "GET /status HTTP/1.1\r\nHost: localhost\r\nAccept: text/"
                            : "POST /webhooks/orders HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"or";
                    socket.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    stalled.add(socket);
                }

                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(daemon.daemon.localUrl()
                        + "/healthz")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(health.statusCode()).isEqualTo(200);
                for (Socket socket : stalled) {
                    socket.setSoTimeout(15_000);
                    assertThat(endOf(socket.getInputStream())).as("the server gave up on the stalled request")
                            .isTrue();
                }
            }
            finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aHandlerThatThrowsAnErrorStillAnswers500InsteadOfLeavingTheClientWaiting() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", HttpApi.guarded(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/half")) {
                exchange.sendResponseHeaders(200, 100);
                exchange.getResponseBody().write('x');
            }
            throw new NoClassDefFoundError("dev/perpetual/Gone");
        }));
        server.start();
        try {
            String base = "http://localhost:" + server.getAddress().getPort();
            HttpResponse<String> page = get(base + "/status");
            HttpResponse<String> api = get(base + "/api/tests");

            assertThat(page.statusCode()).isEqualTo(500);
            assertThat(page.body()).isEqualTo("Internal error: java.lang.NoClassDefFoundError: dev/perpetual/Gone\n");
            assertThat(api.statusCode()).isEqualTo(500);
            assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(api.body())
                    .isEqualTo("{\"error\":\"Internal error: java.lang.NoClassDefFoundError: dev/perpetual/Gone\"}");
            assertThatThrownBy(() -> get(base + "/half")).as("a response already begun is cut, not left open")
                    .isInstanceOf(IOException.class);
        }
        finally {
            server.stop(0);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Reads to the end: true when the server closed the connection (after an answer or without one). */
    private static boolean endOf(InputStream in) {
        try {
            while (in.read() != -1) {
                // an answer such as 400 or 408 may come first
            }
            return true;
        }
        catch (java.net.SocketTimeoutException e) {
            return false;
        }
        catch (IOException e) {
            return true; // reset
        }
    }
}

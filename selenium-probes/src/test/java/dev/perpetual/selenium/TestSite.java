package dev.perpetual.selenium;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on an ephemeral port with two pages: {@code /shop}, titled {@value #TITLE}, and
 * {@code /traced}, whose script makes a request of each kind ({@link #TRACED_PAGE_REQUESTS}). Every other path
 * answers {@code {"ok":true}} to any origin. It keeps the headers of every request it received. Register it as a
 * static field with {@code @RegisterExtension}: it runs for the test class.
 */
final class TestSite implements BeforeAllCallback, AfterAllCallback {

    static final String TITLE = "Perpetual Test Shop";
    static final String CONSOLE_LINE = "shop page rendered";

    private static final String PAGE = "<!doctype html><html><head><title>" + TITLE + "</title></head><body>"
            + "<h1>Shop</h1><script>console.log('" + CONSOLE_LINE + "');"
            + "fetch('/api/cart', {method: 'POST', headers: {'Content-Type': 'application/json'},"
            + " body: JSON.stringify({item: 'socks', quantity: 2})});</script></body></html>";

    /**
     * What {@code /traced?second=<origin>&other=<origin>} requests once loaded: on its own origin a {@code fetch}
     * (with a cookie the page set), an {@code XMLHttpRequest} and a {@code navigator.sendBeacon}; a CORS
     * {@code fetch} to {@code second} and one to {@code other}.
     */
    static final List<String> TRACED_PAGE_REQUESTS = List.of("/api/fetch", "/api/xhr", "/api/beacon",
            "/api/second", "/api/other");

    private static final String TRACED_PAGE = "<!doctype html><html><head><title>Traced</title></head><body><script>"
            + "const query = new URLSearchParams(location.search);"
            + "document.cookie = 'session=probe; path=/';"
            + "fetch('/api/fetch', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'});"
            + "const xhr = new XMLHttpRequest(); xhr.open('GET', '/api/xhr'); xhr.send();"
            + "navigator.sendBeacon('/api/beacon', 'beacon body');"
            + "fetch(query.get('second') + '/api/second');"
            + "fetch(query.get('other') + '/api/other');"
            + "</script></body></html>";

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
    }

    private HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    received.add(new Received(exchange.getRequestURI().getPath(), headers(exchange)));
                    String path = exchange.getRequestURI().getPath();
                    String page = path.equals("/shop") ? PAGE : path.equals("/traced") ? TRACED_PAGE : null;
                    byte[] body = (page != null ? page : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", page != null ? "text/html" : "application/json");
                    exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(", ", values)));
        return headers;
    }

    URI url(String path) {
        return URI.create(origin() + path);
    }

    /** {@code http://127.0.0.1:<port>}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The headers (names in lower case) of the last request this site received for {@code path}. */
    Map<String, String> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError(origin() + " received no request for " + path + ", only "
                        + received.stream().map(Received::path).toList()))
                .headers();
    }

    private record Received(String path, Map<String, String> headers) {
    }
}

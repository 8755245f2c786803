package dev.perpetual.selenium;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on an ephemeral port with one page, {@code /shop}, titled {@value #TITLE}. Register it as a
 * static field with {@code @RegisterExtension}: it runs for the test class.
 */
final class TestSite implements BeforeAllCallback, AfterAllCallback {

    static final String TITLE = "Perpetual Test Shop";
    static final String CONSOLE_LINE = "shop page rendered";

    private static final String PAGE = "<!doctype html><html><head><title>" + TITLE + "</title></head><body>"
            + "<h1>Shop</h1><script>console.log('" + CONSOLE_LINE + "');"
            + "fetch('/api/cart', {method: 'POST', headers: {'Content-Type': 'application/json'},"
            + " body: JSON.stringify({item: 'socks', quantity: 2})});</script></body></html>";

    private HttpServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    boolean page = exchange.getRequestURI().getPath().equals("/shop");
                    byte[] body = (page ? PAGE : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", page ? "text/html" : "application/json");
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

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}

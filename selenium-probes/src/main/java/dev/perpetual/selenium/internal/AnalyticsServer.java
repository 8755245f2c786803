package dev.perpetual.selenium.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.perpetual.Constants;

/**
 * The session's small HTTP server, on the loopback interface unless configured otherwise
 * ({@link PageServerSettings}): serves the probe page and the real analytics.js
 * bundle from the classpath under {@code /analytics/}, and a collector under {@code /v1/} that answers every
 * beacon (and the CORS preflight) with {@code 200 {"success":true}}.
 */
final class AnalyticsServer implements AutoCloseable {

    static final String BUNDLE_DIRECTORY = "/dev/perpetual/selenium/analytics/";
    private static final String BUNDLE = BUNDLE_DIRECTORY + "index.js";

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUrl;

    private AnalyticsServer(HttpServer server, ExecutorService executor, URI baseUrl) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = baseUrl;
    }

    static AnalyticsServer start(PageServerSettings settings) {
        if (AnalyticsServer.class.getResource(BUNDLE) == null) {
            throw new IllegalStateException("The analytics.js bundle [" + BUNDLE + "] is not on the classpath. "
                    + "The build fetches it with 'npm ci' in selenium-probes/; run './mvnw -pl selenium-probes "
                    + "-am install' with npm installed.");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "perpetual-analytics-server");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/analytics/", AnalyticsServer::serveResource);
            server.createContext("/v1/", AnalyticsServer::collect);
            server.start();
            return new AnalyticsServer(server, executor, settings.baseUrl(server.getAddress()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start the analytics probe's page server on "
                    + settings.bindAddress().getHostAddress() + ":" + settings.port() + " ("
                    + Constants.SELENIUM_PAGES_BIND_ADDRESS + ", " + Constants.SELENIUM_PAGES_PORT + ")", e);
        }
    }

    /** The base URL browsers open this server at, such as {@code http://127.0.0.1:40123}. */
    URI baseUrl() {
        return baseUrl;
    }

    /** The probe page, configured to send to {@code apiHost} with {@code writeKey}. */
    URI pageUrl(URI apiHost, String writeKey) {
        String hostAndPath = apiHost.getRawAuthority() + (apiHost.getRawPath() == null ? "" : apiHost.getRawPath());
        hostAndPath = hostAndPath.replaceAll("/+$", "") + "/v1";
        return baseUrl().resolve("/analytics/probe.html?writeKey=" + encode(writeKey) + "&apiHost="
                + encode(hostAndPath) + "&protocol=" + encode(apiHost.getScheme()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void serveResource(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/analytics/".length());
        InputStream resource = name.matches("[A-Za-z0-9._-]+")
                ? AnalyticsServer.class.getResourceAsStream(BUNDLE_DIRECTORY + name)
                : null;
        try (exchange) {
            if (resource == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (resource) {
                body = resource.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type",
                    name.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
            send(exchange, 200, body);
        }
    }

    private static void collect(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin == null ? "*" : origin);
            exchange.getResponseHeaders().set("Access-Control-Allow-Credentials", "true");
            exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type, Authorization");
            exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "POST, OPTIONS");
            if ("OPTIONS".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            send(exchange, 200, "{\"success\":true}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

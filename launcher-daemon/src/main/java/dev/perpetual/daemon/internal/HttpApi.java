package dev.perpetual.daemon.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The daemon's one port, served by the JDK's HTTP server on a small fixed pool: {@code /metrics} (Prometheus text or
 * OpenMetrics, by the {@code Accept} header), {@code /healthz}, {@code /readyz}, {@code /api/tests},
 * {@code /api/tests/{name}/runs}, {@code /status} and {@code /webhooks/{channel}}.
 */
final class HttpApi implements AutoCloseable {

    static final int THREADS = 4;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService pool;
    private final DaemonMetrics metrics;
    private final Results results;
    private final BooleanSupplier ready;
    private final ObjectMapper json;
    private final String version;
    private final AtomicReference<HttpHandler> webhooks = new AtomicReference<>();

    private HttpApi(HttpServer server, DaemonMetrics metrics, Results results, BooleanSupplier ready,
            ObjectMapper json, String version) {
        this.server = server;
        this.metrics = metrics;
        this.results = results;
        this.ready = ready;
        this.json = json;
        this.version = version;
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "perpetual-http-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.createContext("/", guarded(this::route));
    }

    static HttpApi start(int port, DaemonMetrics metrics, Results results, BooleanSupplier ready, ObjectMapper json,
            String version) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
        HttpApi api = new HttpApi(server, metrics, results, ready, json, version);
        server.start();
        return api;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The base URL others reach this server at: this host's address and the bound port. */
    URI baseUrl() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostAddress();
        }
        catch (UnknownHostException e) {
            host = InetAddress.getLoopbackAddress().getHostAddress();
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Serves {@code receiver} for every path under {@code /webhooks/}. */
    void serveWebhooks(HttpHandler receiver) {
        webhooks.set(receiver);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.startsWith("/webhooks/")) {
            HttpHandler receiver = webhooks.get();
            if (receiver == null) {
                text(exchange, 404, "No test has asked for webhooks yet.\n");
            }
            else {
                receiver.handle(exchange);
            }
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            text(exchange, 405, "Only GET and HEAD are served here.\n");
            return;
        }
        switch (path) {
            case "/metrics" -> metrics(exchange);
            case "/healthz" -> text(exchange, 200, "ok\n");
            case "/readyz" -> {
                boolean isReady = ready.getAsBoolean();
                text(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
            }
            case "/api/tests", "/api/tests/" -> json(exchange, 200, new Views.Tests(tests()));
            case "/status", "/" -> send(exchange, 200, "text/html; charset=utf-8", StatusPage.render(results,
                    version).getBytes(StandardCharsets.UTF_8));
            default -> {
                if (path.startsWith("/api/tests/") && path.endsWith("/runs")) {
                    runs(exchange, URLDecoder.decode(path.substring("/api/tests/".length(),
                            path.length() - "/runs".length()), StandardCharsets.UTF_8));
                }
                else {
                    text(exchange, 404, "Not found. Try /status, /metrics, /api/tests, /healthz or /readyz.\n");
                }
            }
        }
    }

    private List<Views.TestView> tests() {
        List<Views.TestView> views = new java.util.ArrayList<>();
        for (ScheduledTest test : results.scheduled()) {
            views.add(Views.test(test, results.history(test.name())));
        }
        for (ScheduledTest test : results.disabled()) {
            views.add(Views.test(test, null));
        }
        return views;
    }

    private void runs(HttpExchange exchange, String name) throws IOException {
        RunHistory history = results.history(name);
        if (history == null) {
            json(exchange, 404, new Views.Problem("No scheduled test is named [" + name + "]; see /api/tests."));
            return;
        }
        json(exchange, 200, new Views.Runs(name, history.newestFirst().stream().map(Views::run).toList()));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT
                : PROMETHEUS_TEXT;
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(64 * 1024);
        metrics.prometheus().scrape(body, contentType);
        send(exchange, 200, contentType, body.toByteArray());
    }

    private void json(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, "application/json", json.writeValueAsBytes(value));
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** A handler that answers 500 rather than dropping the connection when something throws. */
    private static HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            }
            catch (RuntimeException | IOException e) {
                try {
                    text(exchange, 500, "Internal error: " + e + "\n");
                }
                catch (IOException | RuntimeException ignored) {
                    exchange.close();
                }
            }
        };
    }
}

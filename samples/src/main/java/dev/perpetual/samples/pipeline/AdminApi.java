package dev.perpetual.samples.pipeline;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Operating the pipeline: {@code POST|GET|DELETE /admin/faults} (the fault switch),
 * {@code PUT /admin/sources/{writeKey}} (a source),
 * {@code PUT|DELETE /admin/sources/{writeKey}/destinations/{name}} (where a source's events go),
 * {@code GET /stats} (the counts as JSON) and {@code GET /metrics} (the counts per tenancy, for Prometheus).
 */
final class AdminApi implements HttpHandler {

    private final AtomicReference<Faults> faults;
    private final Sources sources;
    private final Stats stats;

    AdminApi(AtomicReference<Faults> faults, Sources sources, Stats stats) {
        this.faults = faults;
        this.sources = sources;
        this.stats = stats;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/stats") && method.equals("GET")) {
            Http.json(exchange, 200, stats.snapshot());
        }
        else if (path.equals("/metrics") && method.equals("GET")) {
            Http.text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", stats.scrape());
        }
        else if (path.equals("/admin/faults")) {
            faults(exchange, method);
        }
        else if (path.startsWith("/admin/sources/")) {
            destination(exchange, method, path.substring("/admin/sources/".length()).split("/"));
        }
        else {
            Http.error(exchange, 404, "no endpoint " + method + " " + path);
        }
    }

    private void faults(HttpExchange exchange, String method) throws IOException {
        switch (method) {
            case "GET" -> Http.json(exchange, 200, describe(faults.get()));
            case "DELETE" -> {
                faults.set(Faults.NONE);
                Http.json(exchange, 200, describe(Faults.NONE));
            }
            case "POST" -> {
                byte[] body = Http.body(exchange, 4096);
                try {
                    JsonNode json = Http.JSON.readTree(body == null ? new byte[0] : body);
                    Faults next = new Faults(json.path("dropPercent").asInt(0), json.path("apiErrorPercent").asInt(0),
                            Duration.ofMillis(json.path("latencyMs").asLong(0)));
                    faults.set(next);
                    Http.json(exchange, 200, describe(next));
                }
                catch (IOException | IllegalArgumentException e) {
                    Http.error(exchange, 400, "faults must be JSON such as {\"dropPercent\":50,"
                            + "\"apiErrorPercent\":0,\"latencyMs\":200}: " + e.getMessage());
                }
            }
            default -> Http.error(exchange, 405, "use GET, POST or DELETE on /admin/faults");
        }
    }

    private void destination(HttpExchange exchange, String method, String[] parts) throws IOException {
        if (parts.length == 1 && !parts[0].isEmpty() && method.equals("PUT")) {
            sources.create(parts[0]);
            Http.json(exchange, 200, Map.of("writeKey", parts[0]));
            return;
        }
        if (parts.length != 3 || !parts[1].equals("destinations") || parts[0].isEmpty() || parts[2].isEmpty()) {
            Http.error(exchange, 404, "use /admin/sources/{writeKey} or /admin/sources/{writeKey}/destinations/{name}");
            return;
        }
        if (method.equals("DELETE")) {
            sources.removeDestination(parts[0], parts[2]);
            Http.send(exchange, 204, "text/plain", new byte[0]);
            return;
        }
        if (!method.equals("PUT")) {
            Http.error(exchange, 405, "use PUT or DELETE on a destination");
            return;
        }
        byte[] body = Http.body(exchange, 4096);
        try {
            URI url = URI.create(Http.JSON.readTree(body == null ? new byte[0] : body).path("url").asText(""));
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("url must be http or https [" + url + "]");
            }
            sources.putDestination(parts[0], parts[2], url);
            Http.json(exchange, 200, Map.of("writeKey", parts[0], "destination", parts[2], "url", url.toString()));
        }
        catch (IOException | IllegalArgumentException e) {
            Http.error(exchange, 400, "send {\"url\":\"http://…\"}: " + e.getMessage());
        }
    }

    private static Map<String, Object> describe(Faults faults) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("dropPercent", faults.dropPercent());
        values.put("apiErrorPercent", faults.apiErrorPercent());
        values.put("latencyMs", faults.latency().toMillis());
        return values;
    }
}

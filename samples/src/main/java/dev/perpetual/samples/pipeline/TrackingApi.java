package dev.perpetual.samples.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The Tracking API, compatible with what analytics.js sends: {@code POST /v1/t}, {@code /v1/p}, {@code /v1/i},
 * {@code /v1/g}, {@code /v1/a}, {@code /v1/s}, {@code /v1/b} and their long forms ({@code /v1/track}, …,
 * {@code /v1/batch}). Authenticated by the source's write key (Basic auth {@code writeKey:}, or a {@code writeKey}
 * field as analytics.js sends with {@code text/plain}); CORS for browser pages; validated; de-duplicated by
 * {@code messageId}; then processed and delivered. Every message is counted under the tenancy its call's baggage
 * names ({@link Tenancies}), and its trace context goes with it to delivery ({@link EventContext}). Also
 * {@code GET /v1/profiles/{userId}}: the traits {@code identify} set.
 */
final class TrackingApi implements HttpHandler {

    private static final int MAX_MESSAGE = 32 * 1024;
    private static final int MAX_BATCH = 500 * 1024;
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("t", "track"),
            Map.entry("track", "track"), Map.entry("p", "page"), Map.entry("page", "page"),
            Map.entry("i", "identify"), Map.entry("identify", "identify"), Map.entry("g", "group"),
            Map.entry("group", "group"), Map.entry("a", "alias"), Map.entry("alias", "alias"),
            Map.entry("s", "screen"), Map.entry("screen", "screen"));

    private final Sources sources;
    private final Deduplicator deduplicator;
    private final Profiles profiles;
    private final Deliverer deliverer;
    private final Stats stats;
    private final Supplier<Faults> faults;
    private final Tenancies tenancies;

    TrackingApi(Sources sources, Deduplicator deduplicator, Profiles profiles, Deliverer deliverer, Stats stats,
            Supplier<Faults> faults, Tenancies tenancies) {
        this.sources = sources;
        this.deduplicator = deduplicator;
        this.profiles = profiles;
        this.deliverer = deliverer;
        this.stats = stats;
        this.faults = faults;
        this.tenancies = tenancies;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        allowCrossOrigin(exchange);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath().substring("/v1/".length());
        if (method.equals("OPTIONS")) {
            Http.send(exchange, 204, "text/plain", new byte[0]);
        }
        else if (method.equals("GET") && path.startsWith("profiles/")) {
            profile(exchange, path.substring("profiles/".length()));
        }
        else if (!method.equals("POST")) {
            Http.error(exchange, 405, method + " is not allowed on " + exchange.getRequestURI().getPath()
                    + "; send POST");
        }
        else if (faults.get().failApiRequest()) {
            Http.error(exchange, 500, "fault injected: apiErrorPercent");
        }
        else if (path.equals("b") || path.equals("batch")) {
            accept(exchange, null, MAX_BATCH);
        }
        else if (TYPES.containsKey(path)) {
            accept(exchange, TYPES.get(path), MAX_MESSAGE);
        }
        else {
            Http.error(exchange, 404, "no endpoint /v1/" + path + "; use /v1/track, /v1/page, /v1/identify, "
                    + "/v1/group, /v1/alias, /v1/screen, /v1/batch or their short forms /v1/t, /v1/p, …");
        }
    }

    private void accept(HttpExchange exchange, String type, int limit) throws IOException {
        EventContext context = EventContext.of(exchange.getRequestHeaders(), tenancies);
        byte[] body = Http.body(exchange, limit);
        if (body == null) {
            stats.count(Stats.Count.REJECTED, context.tenancy());
            Http.error(exchange, 413, "body larger than " + limit + " bytes");
            return;
        }
        JsonNode root;
        try {
            root = Http.JSON.readTree(body);
        }
        catch (JsonProcessingException e) {
            stats.count(Stats.Count.REJECTED, context.tenancy());
            Http.error(exchange, 400, "body is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (!(root instanceof ObjectNode object)) {
            stats.count(Stats.Count.REJECTED, context.tenancy());
            Http.error(exchange, 400, "body must be a JSON object");
            return;
        }
        Optional<String> writeKey = writeKey(exchange, object);
        if (writeKey.isEmpty() || !sources.exists(writeKey.get())) {
            stats.count(Stats.Count.REJECTED, context.tenancy());
            Http.error(exchange, 401, "unknown or missing write key; send Basic auth 'writeKey:' or a writeKey "
                    + "field");
            return;
        }
        List<ObjectNode> messages = new ArrayList<>();
        if (type == null) {
            JsonNode batch = object.get("batch");
            if (batch == null || !batch.isArray()) {
                stats.count(Stats.Count.REJECTED, context.tenancy());
                Http.error(exchange, 400, "a batch needs a 'batch' array");
                return;
            }
            for (JsonNode message : batch) {
                if (!(message instanceof ObjectNode m) || !m.hasNonNull("type")) {
                    stats.count(Stats.Count.REJECTED, context.tenancy());
                    Http.error(exchange, 400, "every batch message must be an object with a 'type'");
                    return;
                }
                messages.add(m);
            }
        }
        else {
            object.put("type", type);
            messages.add(object);
        }
        for (ObjectNode message : messages) {
            String problem = problem(message);
            if (problem != null) {
                stats.count(Stats.Count.REJECTED, context.tenancy());
                Http.error(exchange, 400, problem);
                return;
            }
        }
        messages.forEach(message -> process(writeKey.get(), message, context));
        Http.json(exchange, 200, Map.of("success", true));
    }

    private static String problem(ObjectNode message) {
        String type = message.path("type").asText();
        if (!TYPES.containsValue(type)) {
            return "unknown type '" + type + "'";
        }
        String messageId = message.path("messageId").asText("");
        if (messageId.isEmpty() || messageId.length() > 100) {
            return "every message needs a 'messageId' of 1 to 100 characters";
        }
        if (type.equals("track") && message.path("event").asText("").isBlank()) {
            return "a track call needs an 'event' name";
        }
        if (message.path("userId").asText("").isEmpty() && message.path("anonymousId").asText("").isEmpty()) {
            return "every message needs a 'userId' or an 'anonymousId'";
        }
        return null;
    }

    private void process(String writeKey, ObjectNode message, EventContext context) {
        String messageId = message.get("messageId").asText();
        if (!deduplicator.firstTime(writeKey + "/" + messageId)) {
            stats.count(Stats.Count.DUPLICATES, context.tenancy());
            return;
        }
        stats.count(Stats.Count.ACCEPTED, context.tenancy());
        message.remove("writeKey");
        message.put("receivedAt", Instant.now().toString());
        message.put("processed", true);
        if (message.get("type").asText().equals("identify") && message.get("traits") instanceof ObjectNode traits
                && message.hasNonNull("userId")) {
            profiles.merge(writeKey, message.get("userId").asText(), traits);
        }
        stats.count(Stats.Count.PROCESSED, context.tenancy());
        try {
            deliverer.deliver(Http.JSON.writeValueAsBytes(message), messageId, sources.destinations(writeKey),
                    context);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed message", e);
        }
    }

    private void profile(HttpExchange exchange, String userId) throws IOException {
        Optional<String> writeKey = writeKey(exchange, null);
        if (writeKey.isEmpty()) {
            Http.error(exchange, 401, "send Basic auth 'writeKey:'");
            return;
        }
        Optional<ObjectNode> traits = profiles.get(writeKey.get(), userId);
        if (traits.isPresent()) {
            Http.json(exchange, 200, Map.of("userId", userId, "traits", traits.get()));
        }
        else {
            Http.error(exchange, 404, "no profile for user '" + userId + "'");
        }
    }

    private static Optional<String> writeKey(HttpExchange exchange, ObjectNode body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon)).filter(k -> !k.isEmpty());
            }
            catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return body == null ? Optional.empty() : Optional.ofNullable(body.path("writeKey").textValue());
    }

    private static void allowCrossOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        var headers = exchange.getResponseHeaders();
        headers.set("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        headers.set("Vary", "Origin");
        headers.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
        headers.set("Access-Control-Allow-Headers", "Content-Type, Authorization, traceparent, tracestate, baggage");
        headers.set("Access-Control-Allow-Credentials", "true");
        headers.set("Access-Control-Max-Age", "600");
    }
}

package dev.perpetual.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.Headers;
import dev.perpetual.ReceivedWebhook;

/** One delivery for an expected key. Immutable: the body is copied out, the headers are copied in. */
final class Delivery implements ReceivedWebhook {

    private final String key;
    private final String channel;
    private final byte[] body;
    private final Map<String, List<String>> headers;
    private final Instant receivedAt;
    private final Duration latency;

    /** {@code body} is owned by this delivery from now on. */
    Delivery(String key, String channel, byte[] body, Map<String, List<String>> headers, Instant receivedAt,
            Duration latency) {
        this.key = key;
        this.channel = channel;
        this.body = body;
        this.headers = headers;
        this.receivedAt = receivedAt;
        this.latency = latency;
    }

    /** Request headers, names in lower case, as an immutable map; copied only for deliveries that match. */
    static Map<String, List<String>> lowerCase(Headers headers) {
        Map<String, List<String>> copy = new HashMap<>(headers.size() * 2);
        headers.forEach((name, values) -> copy.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                }));
        return Map.copyOf(copy);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] bodyBytes() {
        return body.clone();
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Instant receivedAt() {
        return receivedAt;
    }

    @Override
    public Duration latency() {
        return latency;
    }

    @Override
    public String toString() {
        return "webhook '" + key + "' on channel '" + channel + "' received at " + receivedAt + " after " + latency;
    }
}

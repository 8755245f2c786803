package dev.perpetual.samples.pipeline;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sources, one per write key, each with the webhook destinations its events are delivered to. A source is created
 * with {@code PUT /admin/sources/{writeKey}}, or by configuring its first destination
 * ({@code PUT /admin/sources/{writeKey}/destinations/{name}}).
 */
final class Sources {

    private final Map<String, Map<String, URI>> destinationsByWriteKey = new ConcurrentHashMap<>();

    void create(String writeKey) {
        destinationsByWriteKey.computeIfAbsent(writeKey, key -> new ConcurrentHashMap<>());
    }

    void putDestination(String writeKey, String name, URI url) {
        destinationsByWriteKey.computeIfAbsent(writeKey, key -> new ConcurrentHashMap<>()).put(name, url);
    }

    void removeDestination(String writeKey, String name) {
        Map<String, URI> destinations = destinationsByWriteKey.get(writeKey);
        if (destinations != null) {
            destinations.remove(name);
        }
    }

    boolean exists(String writeKey) {
        return destinationsByWriteKey.containsKey(writeKey);
    }

    Map<String, URI> destinations(String writeKey) {
        return Map.copyOf(destinationsByWriteKey.getOrDefault(writeKey, Map.of()));
    }
}

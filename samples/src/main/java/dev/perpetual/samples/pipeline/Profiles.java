package dev.perpetual.samples.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The traits {@code identify} calls set, per source and user: a side effect that is read back by polling
 * ({@code GET /v1/profiles/{userId}}), not delivered.
 */
final class Profiles {

    private final Map<String, ObjectNode> traits = new ConcurrentHashMap<>();

    void merge(String writeKey, String userId, ObjectNode newTraits) {
        traits.merge(writeKey + "/" + userId, newTraits.deepCopy(), (old, added) -> {
            ObjectNode merged = old.deepCopy();
            merged.setAll(added);
            return merged;
        });
    }

    Optional<ObjectNode> get(String writeKey, String userId) {
        return Optional.ofNullable(traits.get(writeKey + "/" + userId));
    }
}

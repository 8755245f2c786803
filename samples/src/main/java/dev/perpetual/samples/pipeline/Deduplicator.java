package dev.perpetual.samples.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers the most recent message ids, so a message sent twice is processed once. Bounded. */
final class Deduplicator {

    private final Map<String, Boolean> seen;

    Deduplicator(int capacity) {
        this.seen = new LinkedHashMap<>(capacity, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time {@code key} is seen (within the window of the most recent ids). */
    synchronized boolean firstTime(String key) {
        return seen.putIfAbsent(key, Boolean.TRUE) == null;
    }
}

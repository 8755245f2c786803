package dev.perpetual.worker.internal.reuse;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.perpetual.Constants;
import dev.perpetual.internal.Booleans;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * Which requests may share trees: a tree keeps the configuration of the discovery that made it (Jupiter reads its
 * settings from there as it executes), so only requests whose configuration holds the same values may run on it.
 * Each configuration object is read once (the worker reuses one request per test), and equal contents share one
 * {@link Key}.
 */
final class Configurations {

    /** By identity: {@code ConfigurationParameters} do not define equality; weak, as requests come and go. */
    private final Map<ConfigurationParameters, Key> byObject = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Map<String, String>, Key> byContent = new ConcurrentHashMap<>();

    Key of(ConfigurationParameters parameters) {
        Key key = byObject.get(parameters);
        if (key == null) {
            Map<String, String> content = new TreeMap<>();
            for (String name : parameters.keySet()) {
                parameters.get(name).ifPresent(value -> content.put(name, value));
            }
            key = byContent.computeIfAbsent(content, Key::of);
            byObject.put(parameters, key);
        }
        return key;
    }

    /**
     * One configuration's content, by identity; whether it lets runs reuse trees ({@value
     * Constants#WORKER_REUSE_DISCOVERY}), or (then non-null) why not.
     */
    static final class Key {

        private final String off;

        private Key(String off) {
            this.off = off;
        }

        static Key of(Map<String, String> content) {
            try {
                boolean reuse = Booleans.read(name -> java.util.Optional.ofNullable(content.get(name)),
                        Constants.WORKER_REUSE_DISCOVERY, true);
                return new Key(reuse ? null : Constants.WORKER_REUSE_DISCOVERY + " is false");
            }
            catch (RuntimeException e) {
                return new Key(e.getMessage());
            }
        }

        /** Why runs under this configuration do not reuse trees, or null. */
        String off() {
            return off;
        }
    }
}

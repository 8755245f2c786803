package dev.perpetual.internal.webhook;

import static dev.perpetual.Constants.REDIS_TIMEOUT;
import static dev.perpetual.Constants.REDIS_TIMEOUT_VALUE;
import static dev.perpetual.Constants.REDIS_URI;
import static dev.perpetual.Constants.TENANCY_REQUIRE_ON_WEBHOOKS;
import static dev.perpetual.Constants.WEBHOOKS_BIND_ADDRESS;
import static dev.perpetual.Constants.WEBHOOKS_CHANNEL_KEY;
import static dev.perpetual.Constants.WEBHOOKS_EARLY_RETENTION;
import static dev.perpetual.Constants.WEBHOOKS_EARLY_RETENTION_VALUE;
import static dev.perpetual.Constants.WEBHOOKS_KEY;
import static dev.perpetual.Constants.WEBHOOKS_KEY_VALUE;
import static dev.perpetual.Constants.WEBHOOKS_MAX_BODY;
import static dev.perpetual.Constants.WEBHOOKS_MAX_BODY_VALUE;
import static dev.perpetual.Constants.WEBHOOKS_PORT;
import static dev.perpetual.Constants.WEBHOOKS_PUBLIC_URL;
import static dev.perpetual.Constants.WEBHOOKS_SECRET;
import static dev.perpetual.Constants.WEBHOOKS_STORE;
import static dev.perpetual.Constants.WEBHOOKS_THREADS;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.internal.Sizes;
import dev.perpetual.spi.Durations;

/** The receiver's configuration, read and validated once; every error names the key, the value and the form. */
final class Settings {

    /** The largest {@code perpetual.webhooks.max-body}: bodies are read into one array. */
    static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 8;

    final Optional<URI> publicUrl;
    final int port;
    final InetAddress bindAddress;
    /** 0: requests are served on the server's dispatcher thread. */
    final int threads;
    final int maxBody;
    final Optional<Signatures> signatures;
    final KeyExtractor defaultKey;
    /** {@code perpetual.webhooks.store=redis}: the Redis URI; empty for the in-memory store. */
    final Optional<URI> redis;
    final Duration earlyRetention;
    final Duration redisTimeout;
    /** {@code perpetual.tenancy.require-on-webhooks}: a delivery without the run's trace id fails its wait. */
    final boolean requireTraceContext;
    private final Function<String, Optional<String>> config;

    Settings(Function<String, Optional<String>> config) {
        this.config = config;
        this.publicUrl = config.apply(WEBHOOKS_PUBLIC_URL).map(String::strip).filter(v -> !v.isEmpty())
                .map(Settings::publicUrl);
        this.port = port(config);
        this.bindAddress = bindAddress(config.apply(WEBHOOKS_BIND_ADDRESS).map(String::strip).orElse("0.0.0.0"));
        this.threads = threads(config);
        this.maxBody = maxBody(config);
        this.signatures = signatures(config);
        this.defaultKey = defaultKey(config);
        this.redis = redisStore(config);
        this.earlyRetention = earlyRetention(config);
        this.redisTimeout = redisTimeout(config);
        this.requireTraceContext = bool(TENANCY_REQUIRE_ON_WEBHOOKS);
    }

    /**
     * Checks every key the receiver reads, each on its own so that every bad one is reported, channel keys
     * ({@code perpetual.webhooks.channels.<name>.key}) included.
     */
    static void check(java.util.Map<String, String> all, java.util.function.Consumer<String> problems) {
        Function<String, Optional<String>> config = dev.perpetual.spi.ConfigurationCheck.reader(all);
        List<Runnable> parsers = new java.util.ArrayList<>(List.of(
                () -> config.apply(WEBHOOKS_PUBLIC_URL).map(String::strip).filter(v -> !v.isEmpty())
                        .map(Settings::publicUrl),
                () -> port(config),
                () -> bindAddress(config.apply(WEBHOOKS_BIND_ADDRESS).map(String::strip).orElse("0.0.0.0")),
                () -> threads(config), () -> maxBody(config), () -> signatures(config), () -> defaultKey(config),
                () -> redisStore(config), () -> earlyRetention(config), () -> redisTimeout(config)));
        new java.util.TreeMap<>(all).forEach((key, value) -> {
            if (key.startsWith("perpetual.webhooks.channels.") && key.endsWith(".key")) {
                parsers.add(() -> KeyExtractor.parse(key, value));
            }
        });
        parsers.forEach(parse -> dev.perpetual.spi.ConfigurationCheck.parsing(problems, parse));
    }

    private static int port(Function<String, Optional<String>> config) {
        return integer(config, WEBHOOKS_PORT, "0", 0, 65535, "a port number from 0 to 65535 (0: any free port)");
    }

    private static int threads(Function<String, Optional<String>> config) {
        return integer(config, WEBHOOKS_THREADS, "0", 0, 1024,
                "a number of threads from 0 to 1024 (0: the server's own choice)");
    }

    private static int maxBody(Function<String, Optional<String>> config) {
        return (int) size(WEBHOOKS_MAX_BODY, config.apply(WEBHOOKS_MAX_BODY).orElse(WEBHOOKS_MAX_BODY_VALUE));
    }

    private static Optional<Signatures> signatures(Function<String, Optional<String>> config) {
        return config.apply(WEBHOOKS_SECRET).map(String::strip).filter(v -> !v.isEmpty())
                .map(secret -> Signatures.of(WEBHOOKS_SECRET, secret));
    }

    private static KeyExtractor defaultKey(Function<String, Optional<String>> config) {
        return KeyExtractor.parse(WEBHOOKS_KEY, config.apply(WEBHOOKS_KEY).orElse(WEBHOOKS_KEY_VALUE));
    }

    private static Duration earlyRetention(Function<String, Optional<String>> config) {
        return duration(config, WEBHOOKS_EARLY_RETENTION, WEBHOOKS_EARLY_RETENTION_VALUE, Duration.ofMillis(100),
                Duration.ofHours(1));
    }

    private static Duration redisTimeout(Function<String, Optional<String>> config) {
        return duration(config, REDIS_TIMEOUT, REDIS_TIMEOUT_VALUE, Duration.ofMillis(10), Duration.ofMinutes(1));
    }

    /** The Redis of {@code perpetual.webhooks.store=redis}, validated; empty for {@code memory}. */
    private static Optional<URI> redisStore(Function<String, Optional<String>> config) {
        String store = config.apply(WEBHOOKS_STORE).map(String::strip).orElse("memory");
        if (store.equals("memory")) {
            return Optional.empty();
        }
        if (!store.equals("redis")) {
            throw invalid(WEBHOOKS_STORE, store, "memory (the default: one daemon) or redis (a fleet sharing "
                    + REDIS_URI + ")");
        }
        String uri = config.apply(REDIS_URI).map(String::strip).orElse("");
        if (uri.isEmpty()) {
            throw new IllegalArgumentException("Configuration parameter " + WEBHOOKS_STORE + " = [redis] needs "
                    + REDIS_URI + ", such as redis://redis.internal:6379");
        }
        return Optional.of(redisUri(uri));
    }

    /** A {@code redis://} or {@code rediss://} URI with a host; the client parses the rest. */
    static URI redisUri(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null) {
                return uri;
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(REDIS_URI, value, "a URI such as redis://redis.internal:6379, redis://:password@host:6379/0 "
                + "or rediss://host:6380 (TLS)");
    }

    static Duration duration(Function<String, Optional<String>> config, String key, String defaultValue,
            Duration min, Duration max) {
        String value = config.apply(key).map(String::strip).orElse(defaultValue);
        Duration parsed;
        try {
            parsed = Durations.parse(value);
        }
        catch (IllegalArgumentException e) {
            throw invalid(key, value, Durations.ACCEPTED_FORMS);
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw invalid(key, value, "a duration from " + Durations.format(min) + " to " + Durations.format(max));
        }
        return parsed;
    }

    /** The key extractor of {@code channel}: its own key, else {@code perpetual.webhooks.key}. */
    KeyExtractor keyOf(String channel) {
        String key = String.format(Locale.ROOT, WEBHOOKS_CHANNEL_KEY, channel);
        return config.apply(key).map(value -> KeyExtractor.parse(key, value)).orElse(defaultKey);
    }

    private boolean bool(String key) {
        String value = config.apply(key).map(String::strip).orElse("false");
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(key, value, "true or false (default false)");
    }

    static IllegalArgumentException invalid(String key, String value, String accepted) {
        return new IllegalArgumentException(
                "Invalid configuration parameter " + key + " = [" + value + "]: expected " + accepted);
    }

    private static int integer(Function<String, Optional<String>> config, String key, String defaultValue, int min,
            int max, String accepted) {
        String value = config.apply(key).map(String::strip).orElse(defaultValue);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, accepted);
    }

    /** Parses {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 1GiB}: from 1 byte to 2GiB. */
    static long size(String key, String text) {
        long bytes = Sizes.parse(text).orElseThrow(() -> invalid(key, text, Sizes.FORMS));
        if (bytes < 1 || bytes > MAX_BODY_LIMIT) {
            throw invalid(key, text, Sizes.FORMS + ", from 1 byte to 2GiB");
        }
        return bytes;
    }

    private static URI publicUrl(String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return uri;
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(WEBHOOKS_PUBLIC_URL, value,
                "an absolute http or https URL without query, such as https://probes.example.com");
    }

    private static InetAddress bindAddress(String value) {
        try {
            if (!value.isEmpty()) {
                return InetAddress.getByName(value);
            }
        }
        catch (UnknownHostException | SecurityException e) {
            // reported below
        }
        throw invalid(WEBHOOKS_BIND_ADDRESS, value,
                "an IP address or host name of this machine, such as 0.0.0.0 (every interface) or 127.0.0.1");
    }
}

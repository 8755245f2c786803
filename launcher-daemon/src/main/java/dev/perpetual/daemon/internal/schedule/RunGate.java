package dev.perpetual.daemon.internal.schedule;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.spi.Durations;
import org.apiguardian.api.API;

/**
 * Whether this daemon runs a tick, for {@code perpetual.cluster.mode}. {@link #EACH} (the default) always does: every
 * daemon runs every test. {@code once} asks {@link RedisLeases} whether this daemon is the fleet's one for the tick.
 */
@API(status = INTERNAL, since = "0.1")
public interface RunGate extends AutoCloseable {

    /** Why a tick another daemon took is skipped: {@code perpetual_run_skipped_total{reason="lease"}}. */
    String SKIP_LEASE = "lease";

    /** {@code perpetual.cluster.mode=each}: every daemon runs every tick. */
    RunGate EACH = new RunGate() {
        @Override
        public boolean admit(ScheduledTest test, Instant planned) {
            return true;
        }

        @Override
        public boolean aligned() {
            return false;
        }

        @Override
        public void close() {
        }
    };

    /** Whether this daemon runs {@code test}'s tick planned at {@code planned}. */
    boolean admit(ScheduledTest test, Instant planned);

    /**
     * Whether ticks fall on the wall clock's grid ({@code epoch + offset + n × period}), so that every daemon of the
     * fleet plans the same instants and asks for the same lease.
     */
    boolean aligned();

    @Override
    void close();

    /**
     * The gate of {@code perpetual.cluster.mode}.
     *
     * @throws IllegalArgumentException naming the key, the value and the accepted form
     */
    static RunGate of(Function<String, Optional<String>> config, Consumer<String> warn) {
        Mode mode = Mode.of(config);
        return mode.leases ? new RedisLeases(mode.redisUri, mode.redisTimeout, warn) : EACH;
    }

    /** What is wrong with the cluster settings, if anything: for discovery to report with the other problems. */
    static Optional<String> problem(Function<String, Optional<String>> config) {
        try {
            Mode.of(config);
            return Optional.empty();
        }
        catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The cluster settings, checked. */
    record Mode(boolean leases, String redisUri, Duration redisTimeout) {

        static Mode of(Function<String, Optional<String>> config) {
            String mode = config.apply(Constants.CLUSTER_MODE).map(String::strip).orElse("each")
                    .toLowerCase(Locale.ROOT);
            if (mode.equals("each")) {
                return new Mode(false, null, null);
            }
            if (!mode.equals("once")) {
                throw invalid(Constants.CLUSTER_MODE, mode, "each (every daemon runs every test) or once (each test "
                        + "once per period across the daemons sharing " + Constants.REDIS_URI + ")");
            }
            String uri = config.apply(Constants.REDIS_URI).map(String::strip).orElse("");
            if (uri.isEmpty()) {
                throw new IllegalArgumentException("Configuration parameter " + Constants.CLUSTER_MODE + " = [once] "
                        + "needs " + Constants.REDIS_URI + ", such as redis://redis.internal:6379");
            }
            requireRedisUri(uri);
            String timeout = config.apply(Constants.REDIS_TIMEOUT).map(String::strip)
                    .orElse(Constants.REDIS_TIMEOUT_VALUE);
            try {
                return new Mode(true, uri, Durations.parse(timeout));
            }
            catch (IllegalArgumentException e) {
                throw invalid(Constants.REDIS_TIMEOUT, timeout, Durations.ACCEPTED_FORMS);
            }
        }
    }

    private static void requireRedisUri(String value) {
        try {
            URI uri = new URI(value);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(Constants.REDIS_URI, value, "a URI such as redis://redis.internal:6379");
    }

    private static IllegalArgumentException invalid(String key, String value, String accepted) {
        return new IllegalArgumentException(
                "Invalid configuration parameter " + key + " = [" + value + "]: expected " + accepted);
    }
}

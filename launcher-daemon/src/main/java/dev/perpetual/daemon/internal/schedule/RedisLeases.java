package dev.perpetual.daemon.internal.schedule;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.spi.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

/**
 * {@code perpetual.cluster.mode=once}: each tick of a test runs on the one daemon that takes its lease,
 * {@code SET perpetual:lease:<test>:<slot> <daemon> NX PX <2 periods>}, where the slot numbers the test's period on
 * the wall clock's grid (every daemon of the fleet plans the same instants, see {@link RunGate#aligned()}). A daemon
 * that dies takes no more leases, so another takes the next slot: within one period.
 *
 * <p>When Redis cannot be asked within {@code perpetual.redis.timeout} the daemon runs the tick anyway (fails open)
 * and warns once per outage: probing the system twice is better than not probing it while Redis is down.
 */
final class RedisLeases implements RunGate {

    private final String daemon = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final String where;
    private final RedisEndpoint redis;
    private final RedisClient client;
    private final java.util.function.Consumer<String> warn;
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean failing;

    RedisLeases(String uri, Duration timeout, java.util.function.Consumer<String> warn) {
        this.warn = warn;
        this.redis = RedisEndpoint.of(URI.create(uri), timeout);
        this.where = redis.where();
        this.client = redis.client();
    }

    @Override
    public boolean admit(ScheduledTest test, Instant planned) {
        long period = Math.max(1, test.period().toMillis());
        long offset = Offsets.of(test.name(), test.period()).toMillis();
        // The nearest slot: daemons whose clocks differ by less than half a period agree on it.
        long slot = Math.floorDiv(planned.toEpochMilli() - offset + period / 2, period);
        try {
            String taken = connection().sync().set("perpetual:lease:" + test.name() + ":" + slot, daemon,
                    SetArgs.Builder.nx().px(Math.max(2 * period, 10_000)));
            if (failing) {
                failing = false;
                warn.accept("Redis at " + where + " answers again: once-mode leases are back");
            }
            return "OK".equals(taken);
        }
        catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                warn.accept("Redis at " + where + " cannot be reached for once-mode leases (" + e.getMessage()
                        + "): this daemon runs every tick until it answers again");
            }
            return true;
        }
    }

    @Override
    public boolean aligned() {
        return true;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        redis.close();
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (connecting) {
                current = connection;
                if (current == null) {
                    current = client.connect(StringCodec.UTF8);
                    connection = current;
                }
            }
        }
        return current;
    }
}

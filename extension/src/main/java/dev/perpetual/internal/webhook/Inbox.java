package dev.perpetual.internal.webhook;

import static dev.perpetual.internal.webhook.RedisRouting.bytes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * A replica's inbox: the stream {@code perpetual:inbox:<replica>} other replicas route its deliveries to, read on a
 * thread and a connection of its own ({@code XREADGROUP … BLOCK}), acknowledged and trimmed on the shared one.
 */
final class Inbox {

    static final String PREFIX = "perpetual:inbox:";
    static final long TTL_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final long REFRESH_NANOS = Duration.ofMinutes(1).toNanos();
    private static final long TRIM_EVERY_NANOS = Duration.ofMillis(250).toNanos();
    private static final byte[] GROUP = bytes("perpetual");
    private static final int READ_BATCH = 256;

    private final String replica;
    private final byte[] inboxKey;
    private final RedisClient client;
    private final Duration timeout;
    private final Supplier<CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> shared;
    private final java.util.function.Consumer<Routed> dispatch;
    private final Runnable backUp;
    private final java.util.function.Consumer<Throwable> trouble;
    private final Thread thread;
    private volatile boolean closed;
    private long trimmedAt; // the inbox thread's own

    /**
     * {@code dispatch}: each delivery read; {@code backUp}: Redis answers again after trouble; {@code trouble}: what
     * went wrong meanwhile.
     */
    Inbox(String replica, RedisClient client, Duration timeout,
            Supplier<CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> shared,
            java.util.function.Consumer<Routed> dispatch, Runnable backUp,
            java.util.function.Consumer<Throwable> trouble) {
        this.replica = replica;
        this.inboxKey = bytes(PREFIX + replica);
        this.client = client;
        this.timeout = timeout;
        this.shared = shared;
        this.dispatch = dispatch;
        this.backUp = backUp;
        this.trouble = trouble;
        this.thread = new Thread(this::read, "perpetual-webhooks-inbox");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops reading, waiting at most the command timeout and two seconds. */
    void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(timeout.plusSeconds(2).toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The inbox loop: reads what other replicas routed here; after an outage, registers the live keys anew. Its reads
     * go through a consumer group, so an entry Redis handed to a read this replica had given up on (a reply that
     * came after the client's timeout) stays pending and is read again; {@code taken} skips entries read twice.
     */
    private void read() {
        Consumer<byte[]> consumer = Consumer.from(GROUP, bytes(replica));
        XReadArgs waiting = XReadArgs.Builder.block(1000).count(READ_BATCH);
        XReadArgs pendingOnly = XReadArgs.Builder.count(READ_BATCH);
        StatefulRedisConnection<byte[], byte[]> blocking = null;
        StreamId taken = StreamId.NONE;
        boolean down = false;
        boolean rereadPending = false;
        long keptAt = System.nanoTime();
        while (!closed) {
            try {
                if (blocking == null) {
                    blocking = client.connect(ByteArrayCodec.INSTANCE);
                    blocking.setTimeout(timeout.plusSeconds(1));
                }
                List<StreamMessage<byte[], byte[]>> read;
                try {
                    read = rereadPending
                            ? blocking.sync().xreadgroup(consumer, pendingOnly, StreamOffset.from(inboxKey,
                                    taken.toString()))
                            : blocking.sync().xreadgroup(consumer, waiting, StreamOffset.lastConsumed(inboxKey));
                }
                catch (RedisCommandExecutionException e) {
                    String message = String.valueOf(e.getMessage());
                    if (!message.startsWith("NOGROUP") && !message.startsWith("UNBLOCKED")) {
                        throw e;
                    }
                    createGroup(blocking.sync()); // new, or gone with a Redis restart
                    taken = StreamId.NONE;
                    continue;
                }
                if (down) {
                    down = false;
                    backUp.run();
                }
                rereadPending = rereadPending && read.size() == READ_BATCH;
                taken = take(read, taken);
                if (System.nanoTime() - keptAt > REFRESH_NANOS) { // it expires only once this replica is gone
                    keptAt = System.nanoTime();
                    blocking.async().pexpire(inboxKey, TTL_MILLIS);
                }
            }
            catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                trouble.accept(e);
                down = true;
                rereadPending = true;
                try {
                    Thread.sleep(200);
                }
                catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
        if (blocking != null) {
            blocking.close();
        }
    }

    /**
     * Dispatches the entries newer than {@code taken}, then acknowledges them and (four times a second at most) trims
     * the inbox below them, without waiting: an acknowledgement lost on the way costs a read again, never a delivery
     * twice.
     */
    private StreamId take(List<StreamMessage<byte[], byte[]>> read, StreamId taken) {
        if (read.isEmpty()) {
            return taken;
        }
        String[] ids = new String[read.size()];
        StreamId last = taken;
        for (int i = 0; i < ids.length; i++) {
            StreamMessage<byte[], byte[]> message = read.get(i);
            ids[i] = message.getId();
            StreamId id = StreamId.parse(ids[i]);
            Map<byte[], byte[]> body = message.getBody();
            if (id.isAfter(last) && body != null && !body.isEmpty()) {
                dispatch.accept(Routed.decode(body.values().iterator().next()));
                last = id;
            }
        }
        boolean trim = System.nanoTime() - trimmedAt > TRIM_EVERY_NANOS;
        if (trim) {
            trimmedAt = System.nanoTime();
        }
        String below = last.toString();
        shared.get().thenAccept(redis -> {
            redis.async().xack(inboxKey, GROUP, ids);
            if (trim) {
                redis.async().xtrim(inboxKey, XTrimArgs.Builder.minId(below).approximateTrimming());
            }
        });
        return last;
    }

    private void createGroup(RedisCommands<byte[], byte[]> redis) {
        try {
            redis.xgroupCreate(StreamOffset.from(inboxKey, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
            redis.pexpire(inboxKey, TTL_MILLIS);
        }
        catch (RedisCommandExecutionException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** A stream entry's id, {@code <millis>-<sequence>}, in Redis's order. */
    record StreamId(long millis, long sequence) {

        static final StreamId NONE = new StreamId(0, 0);

        static StreamId parse(String id) {
            int dash = id.indexOf('-');
            return new StreamId(Long.parseLong(id, 0, dash, 10), Long.parseLong(id, dash + 1, id.length(), 10));
        }

        boolean isAfter(StreamId other) {
            return millis != other.millis ? millis > other.millis : sequence > other.sequence;
        }

        @Override
        public String toString() {
            return millis + "-" + sequence;
        }
    }
}

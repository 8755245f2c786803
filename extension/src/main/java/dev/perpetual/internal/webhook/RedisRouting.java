package dev.perpetual.internal.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.Headers;
import dev.perpetual.Constants;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.RedisEndpoint;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * {@code perpetual.webhooks.store=redis}: a fleet of replicas behind one load balancer, sharing one Redis.
 *
 * <ul>
 * <li>{@code expect} runs {@link Script#REGISTER}: {@code SET perpetual:expect:<channel>:<key> <replica> NX PX
 * <run deadline + 1 min>}, and in the same atomic step claims whatever arrived for the key earlier.</li>
 * <li>A delivery for a key no run here expects runs {@link Script#ROUTE}, without holding up the receiving thread
 * (the sender is answered when Redis has answered): if a replica expects it, {@code XADD} to
 * that replica's inbox stream {@code perpetual:inbox:<replica>} (never to every replica); else it is kept under
 * {@code perpetual:early:<channel>:<key>} for {@code perpetual.webhooks.early-retention}.</li>
 * <li>Each replica reads its inbox with {@code XREADGROUP … BLOCK} on a connection of its own, then acknowledges
 * and trims what it read: a delivery waits in Redis while the replica is busy, one handed to a read the replica had
 * given up on is read again, and each is counted matched, duplicate or unmatched there, exactly as a local one.</li>
 * <li>Every replica sweeps early deliveries whose retention passed ({@link Script#SWEEP}) and counts them unmatched;
 * one replica's sweep takes each once.</li>
 * <li>Every key expires by itself (expectations with their run's deadline, inboxes five minutes after their replica
 * last read them), so a replica that dies leaves nothing behind for long.</li>
 * </ul>
 *
 * <p><b>Latency across replicas</b> is measured on one clock, Redis's ({@code TIME} inside both scripts): from the
 * registration to the routing of the delivery. Replicas' own clocks may differ; {@link Delivery#receivedAt()} is the
 * receiving replica's wall clock.
 *
 * <p><b>Redis down or slow</b> (no answer within {@code perpetual.redis.timeout}): {@code expect} throws a
 * {@link RoutingException} (the run errs); a delivery for no run here gets 503, so its sender keeps it and retries; a
 * wait that fails meanwhile says so and errs too. The client reconnects by itself; when the inbox answers again, the
 * replica registers its live expectations anew (a Redis restarted without persistence has forgotten them).
 */
final class RedisRouting implements Routing {

    private static final String EXPECT = "perpetual:expect:";
    private static final String EARLY = "perpetual:early:";
    private static final String EARLY_INDEX = "perpetual:early";
    private static final String INBOX = "perpetual:inbox:";
    private static final long INBOX_TTL_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final long INBOX_REFRESH_NANOS = Duration.ofMinutes(1).toNanos();
    private static final long TRIM_EVERY_NANOS = Duration.ofMillis(250).toNanos();
    private static final byte[] GROUP = bytes("perpetual");
    private static final int READ_BATCH = 256;
    private static final Integer TAKEN_STATUS = 200;
    private static final Integer NOT_TAKEN_STATUS = 503;

    private final WebhookReceiver receiver;
    private final String replica = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final String where;
    private final Duration timeout;
    private final long retentionMillis;
    private final RedisEndpoint redis;
    private final RedisClient client;
    private final Thread inbox;
    private final ScheduledExecutorService sweeper;
    private final Object connecting = new Object();
    private volatile CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;
    private volatile long troubleAt;
    private volatile String trouble;
    private volatile boolean closed;
    private long trimmedAt; // the inbox thread's own

    private RedisRouting(WebhookReceiver receiver) {
        this.receiver = receiver;
        Settings settings = receiver.settings;
        URI uri = settings.redis.orElseThrow();
        this.timeout = settings.redisTimeout;
        this.retentionMillis = settings.earlyRetention.toMillis();
        this.redis = RedisEndpoint.of(uri, timeout);
        this.where = redis.where();
        this.client = redis.client();
        this.inbox = new Thread(this::readInbox, "perpetual-webhooks-inbox");
        inbox.setDaemon(true);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "perpetual-webhooks-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    static RedisRouting start(WebhookReceiver receiver) {
        RedisRouting routing = new RedisRouting(receiver);
        routing.inbox.start();
        long every = Math.max(25, Math.min(1000, routing.retentionMillis / 4));
        routing.sweeper.scheduleWithFixedDelay(routing::sweep, every, every, TimeUnit.MILLISECONDS);
        return routing;
    }

    @Override
    public void register(Expectation expectation) {
        List<Object> answer;
        try {
            answer = Script.REGISTER.run(connected(), keys(expectation.channel.name, expectation.key()),
                    owner(expectation), bytes(Long.toString(expectation.run.registrationTtlMillis())),
                    bytes(member(expectation.channel.name, expectation.key())), bytes(replica + " "));
        }
        catch (RuntimeException e) {
            throw failure("expecting key '" + expectation.key() + "' on channel '" + expectation.channel.name + "'",
                    e);
        }
        if (((Long) answer.get(0)) == 0) {
            String owner = string((byte[]) answer.get(1));
            int space = owner.indexOf(' ');
            throw new IllegalStateException("Key '" + expectation.key() + "' on channel '" + expectation.channel.name
                    + "' is already expected by run " + owner.substring(space + 1) + " on replica "
                    + owner.substring(0, Math.max(0, space)) + " (via " + where + "), which is still going. A key "
                    + "must be unique among the runs going at once: put the run id (O.runId()) into it.");
        }
        expectation.registeredAt((Long) answer.get(1));
        for (Object early : (List<?>) answer.get(2)) {
            Routed routed = Routed.decode((byte[]) early);
            deliver(expectation, routed);
        }
    }

    /** Without waiting for the answer: the run has ended, and a registration left behind expires by itself. */
    @Override
    public void unregister(Expectation expectation) {
        byte[] owner = owner(expectation);
        connection().thenCompose(redis -> Script.UNREGISTER.runAsync(redis, new byte[][] { expectKey(expectation) },
                owner)).exceptionally(failure -> {
                    noteTrouble(failure);
                    return null;
                });
    }

    /** The value of a registration: the replica whose inbox takes its deliveries, and the run, for messages. */
    private byte[] owner(Expectation expectation) {
        return bytes(replica + " " + expectation.run.runId);
    }

    /** Answered on the client's I/O thread once Redis has taken the delivery; the receiving thread goes on. */
    @Override
    public CompletionStage<Integer> route(Channel channel, String key, byte[] body, Headers headers) {
        byte[] payload = Routed.encode(channel.name, key, body, Delivery.lowerCase(headers), System.currentTimeMillis());
        byte[][] keys = keys(channel.name, key);
        return connection().thenCompose(redis -> Script.ROUTE.runAsync(redis, keys, payload,
                bytes(Long.toString(retentionMillis)), bytes(member(channel.name, key)), bytes(INBOX),
                bytes(Long.toString(INBOX_TTL_MILLIS)))).handle((answer, failure) -> {
                    if (failure == null) {
                        return TAKEN_STATUS;
                    }
                    noteTrouble(failure);
                    return NOT_TAKEN_STATUS; // not received: the sender keeps it and retries
                });
    }

    @Override
    public Optional<String> troubleSince(long nanos) {
        String what = trouble;
        return what != null && troubleAt - nanos >= 0 ? Optional.of(what) : Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        inbox.interrupt();
        try {
            inbox.join(timeout.plusSeconds(2).toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection;
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::close);
        }
        redis.close();
    }

    /**
     * The inbox loop: reads what other replicas routed here; after an outage, registers the live keys anew. Its reads
     * go through a consumer group, so an entry Redis handed to a read this replica had given up on (a reply that
     * came after the client's timeout) stays pending and is read again; {@code taken} skips entries read twice.
     */
    private void readInbox() {
        byte[] inboxKey = bytes(INBOX + replica);
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
                    createGroup(blocking.sync(), inboxKey); // new, or gone with a Redis restart
                    taken = StreamId.NONE;
                    continue;
                }
                if (down) {
                    down = false;
                    registerLiveAgain();
                }
                rereadPending = rereadPending && read.size() == READ_BATCH;
                taken = take(read, taken, inboxKey);
                if (System.nanoTime() - keptAt > INBOX_REFRESH_NANOS) { // it expires only once this replica is gone
                    keptAt = System.nanoTime();
                    blocking.async().pexpire(inboxKey, INBOX_TTL_MILLIS);
                }
            }
            catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                noteTrouble(e);
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
    private StreamId take(List<StreamMessage<byte[], byte[]>> read, StreamId taken, byte[] inboxKey) {
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
                dispatch(Routed.decode(body.values().iterator().next()));
                last = id;
            }
        }
        boolean trim = System.nanoTime() - trimmedAt > TRIM_EVERY_NANOS;
        if (trim) {
            trimmedAt = System.nanoTime();
        }
        String below = last.toString();
        connection().thenAccept(redis -> {
            redis.async().xack(inboxKey, GROUP, ids);
            if (trim) {
                redis.async().xtrim(inboxKey, XTrimArgs.Builder.minId(below).approximateTrimming());
            }
        });
        return last;
    }

    private void createGroup(RedisCommands<byte[], byte[]> redis, byte[] inboxKey) {
        try {
            redis.xgroupCreate(StreamOffset.from(inboxKey, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
            redis.pexpire(inboxKey, INBOX_TTL_MILLIS);
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

    private void registerLiveAgain() {
        for (Channel channel : receiver.channels.values()) {
            for (Expectation expectation : channel.expectations.values()) {
                try {
                    register(expectation);
                }
                catch (RuntimeException e) {
                    // taken by another replica meanwhile, or Redis gone again: the next recovery retries
                }
            }
        }
    }

    private void dispatch(Routed routed) {
        Channel channel = receiver.channelOrNull(routed.channel);
        if (channel == null) {
            return;
        }
        Expectation expectation = channel.expectations.get(routed.key);
        if (expectation == null) {
            channel.unmatched(routed.key); // its run ended while the delivery was on its way
        }
        else {
            deliver(expectation, routed);
        }
    }

    private static void deliver(Expectation expectation, Routed routed) {
        long registered = expectation.registeredMicros();
        long latency = registered == 0 ? System.nanoTime() - expectation.expectedAtNanos() // reply not read yet
                : Math.max(0, routed.routedMicros - registered) * 1000;
        expectation.deliverRouted(routed.body, routed.headers, routed.receivedAt, latency);
    }

    /** Counts as unmatched the early deliveries whose retention passed; whichever replica sweeps first takes them. */
    private void sweep() {
        try {
            List<Object> due = Script.SWEEP.run(connected(), new byte[][] { bytes(EARLY_INDEX) }, bytes(EARLY));
            for (int i = 0; i + 1 < due.size(); i += 2) {
                String member = string((byte[]) due.get(i));
                int colon = member.indexOf(':');
                Channel channel = receiver.channelOrNull(member.substring(0, colon));
                if (channel != null) {
                    for (long n = (Long) due.get(i + 1); n > 0; n--) {
                        channel.unmatched(member.substring(colon + 1));
                    }
                }
            }
        }
        catch (RuntimeException e) {
            noteTrouble(e);
        }
    }

    /**
     * The connection every replica's command shares (Lettuce pipelines them), made without blocking on first use, and
     * made again when that first attempt failed; once made, Lettuce reconnects it by itself.
     */
    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection;
        if (current == null || current.isCompletedExceptionally()) {
            synchronized (connecting) {
                current = connection;
                if (current == null || current.isCompletedExceptionally()) {
                    if (closed) {
                        return CompletableFuture.failedFuture(
                                new IllegalStateException("The webhook receiver is closed"));
                    }
                    current = redis.connectAsync(ByteArrayCodec.INSTANCE);
                    connection = current;
                }
            }
        }
        return current;
    }

    /** The connection's synchronous commands, waiting at most the command timeout for it to be made. */
    private RedisCommands<byte[], byte[]> connected() {
        try {
            return connection().get(timeout.toMillis(), TimeUnit.MILLISECONDS).sync();
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new RedisConnectionException("Cannot connect", e.getCause());
        }
        catch (TimeoutException e) {
            throw new RedisConnectionException("No connection within " + Durations.format(timeout) + " ("
                    + Constants.REDIS_TIMEOUT + ")");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisConnectionException("Interrupted while connecting");
        }
    }

    private RoutingException failure(String doing, RuntimeException cause) {
        noteTrouble(cause);
        return new RoutingException("Webhook routing through Redis at " + where + " (" + Constants.WEBHOOKS_STORE
                + "=redis) failed while " + doing + ": " + describe(cause) + ". The run errs: the probe's trouble, "
                + "not the system's; the daemon keeps running and reconnects by itself.", cause);
    }

    private void noteTrouble(Throwable e) {
        trouble = "Redis at " + where + " failed: " + describe(e);
        troubleAt = System.nanoTime();
    }

    private static String describe(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e || root.getMessage() == null ? message : message + " (" + root.getMessage() + ")";
    }

    private static byte[][] keys(String channel, String key) {
        return new byte[][] { bytes(EXPECT + channel + ":" + key), bytes(EARLY + channel + ":" + key),
                bytes(EARLY_INDEX) };
    }

    private static byte[] expectKey(Expectation expectation) {
        return bytes(EXPECT + expectation.channel.name + ":" + expectation.key());
    }

    private static String member(String channel, String key) {
        return channel + ":" + key; // a channel name has no ':'
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The Lua scripts, each one atomic step in Redis. They run by digest ({@code EVALSHA}); a Redis that does not know
     * one yet (new, or restarted) gets its text once ({@code EVAL}), which also makes it known.
     */
    enum Script {

        /**
         * KEYS: expect, early, early index. ARGV: owner ({@code "<replica> <run>"}), ttl ms, member, {@code
         * "<replica> "}. → {1, micros, early[]} or {0, owner}. A registration of this replica's may be replaced: this
         * replica's own runs never expect one key at once, so it is this run registering again after Redis came back,
         * or a run that has ended.
         */
        REGISTER("""
                local t = redis.call('TIME')
                if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
                  local owner = redis.call('GET', KEYS[1])
                  if owner and string.sub(owner, 1, #ARGV[4]) ~= ARGV[4] then return {0, owner} end
                  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
                end
                local early = redis.call('LRANGE', KEYS[2], 0, -1)
                if #early > 0 then
                  redis.call('DEL', KEYS[2])
                  redis.call('ZREM', KEYS[3], ARGV[3])
                end
                return {1, t[1] * 1000000 + t[2], early}
                """),

        /** KEYS: expect, early, early index. ARGV: payload, retention ms, member, inbox prefix, inbox ttl ms. */
        ROUTE("""
                local t = redis.call('TIME')
                local entry = t[1] .. ' ' .. t[2] .. ' ' .. ARGV[1]
                local owner = redis.call('GET', KEYS[1])
                if owner then
                  local inbox = ARGV[4] .. string.match(owner, '^%S+')
                  redis.call('XADD', inbox, '*', 'd', entry)
                  redis.call('PEXPIRE', inbox, ARGV[5])
                  return {1}
                end
                redis.call('RPUSH', KEYS[2], entry)
                redis.call('PEXPIRE', KEYS[2], ARGV[2] + 60000)
                redis.call('ZADD', KEYS[3], 'NX', t[1] * 1000 + math.floor(t[2] / 1000) + ARGV[2], ARGV[3])
                return {0}
                """),

        /** KEYS: early index. ARGV: early prefix. → {member, count, …} of the deliveries whose retention passed. */
        SWEEP("""
                local t = redis.call('TIME')
                local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000),
                  'LIMIT', 0, 100)
                local out = {}
                for _, member in ipairs(due) do
                  local key = ARGV[1] .. member
                  out[#out + 1] = member
                  out[#out + 1] = redis.call('LLEN', key)
                  redis.call('DEL', key)
                  redis.call('ZREM', KEYS[1], member)
                end
                return out
                """),

        /** KEYS: expect. ARGV: owner. Deletes the registration if it is still this run's. */
        UNREGISTER("""
                if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
                return {}
                """);

        private final String text;
        private final String digest;

        Script(String text) {
            this.text = text;
            try {
                this.digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(text)));
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java runtime has SHA-1", e);
            }
        }

        List<Object> run(RedisCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            try {
                return redis.evalsha(digest, ScriptOutputType.MULTI, keys, args);
            }
            catch (RedisNoScriptException e) {
                return redis.eval(text, ScriptOutputType.MULTI, keys, args);
            }
        }

        CompletableFuture<List<Object>> runAsync(StatefulRedisConnection<byte[], byte[]> redis, byte[][] keys,
                byte[]... args) {
            return redis.async().<List<Object>>evalsha(digest, ScriptOutputType.MULTI, keys, args)
                    .toCompletableFuture().exceptionallyCompose(failure -> isNoScript(failure)
                            ? redis.async().<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args)
                                    .toCompletableFuture()
                            : CompletableFuture.failedFuture(failure));
        }

        private static boolean isNoScript(Throwable failure) {
            return failure instanceof RedisNoScriptException || failure.getCause() instanceof RedisNoScriptException;
        }
    }
}

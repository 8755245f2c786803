package dev.perpetual.internal.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * {@code perpetual.webhooks.store=redis}: a fleet of replicas behind one load balancer, sharing one Redis.
 *
 * <ul>
 * <li>{@code expect} runs {@link RedisScript#REGISTER}: {@code SET perpetual:expect:<channel>:<key> <replica> NX PX
 * <run deadline + 1 min>}, and in the same atomic step claims whatever arrived for the key earlier.</li>
 * <li>A delivery for a key no run here expects runs {@link RedisScript#ROUTE}, without holding up the receiving thread
 * (the sender is answered when Redis has answered): if a replica expects it, {@code XADD} to
 * that replica's inbox stream {@code perpetual:inbox:<replica>} (never to every replica); else it is kept under
 * {@code perpetual:early:<channel>:<key>} for {@code perpetual.webhooks.early-retention}.</li>
 * <li>Each replica reads its inbox with {@code XREADGROUP … BLOCK} on a connection of its own, then acknowledges
 * and trims what it read: a delivery waits in Redis while the replica is busy, one handed to a read the replica had
 * given up on is read again, and each is counted matched, duplicate or unmatched there, exactly as a local one.</li>
 * <li>Every replica sweeps early deliveries whose retention passed ({@link RedisScript#SWEEP}) and counts them unmatched;
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
    private static final Integer TAKEN_STATUS = 200;
    private static final Integer NOT_TAKEN_STATUS = 503;

    private final WebhookReceiver receiver;
    private final String replica = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final String where;
    private final Duration timeout;
    private final long retentionMillis;
    private final RedisEndpoint redis;
    private final Inbox inbox;
    private final ScheduledExecutorService sweeper;
    private final Object connecting = new Object();
    private volatile CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;
    private final Trouble trouble = new Trouble();
    private volatile boolean closed;

    private RedisRouting(WebhookReceiver receiver) {
        this.receiver = receiver;
        Settings settings = receiver.settings;
        URI uri = settings.redis.orElseThrow();
        this.timeout = settings.redisTimeout;
        this.retentionMillis = settings.earlyRetention.toMillis();
        this.redis = RedisEndpoint.of(uri, timeout);
        this.where = redis.where();
        this.inbox = new Inbox(replica, redis.client(), timeout, this::connection, this::dispatch,
                this::registerLiveAgain, this::noteTrouble);
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
            answer = RedisScript.REGISTER.run(connected(), keys(expectation.channel.name, expectation.key()),
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
        connection().thenCompose(redis -> RedisScript.UNREGISTER.runAsync(redis,
                new byte[][] { expectKey(expectation) }, owner)).exceptionally(failure -> {
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
        return connection().thenCompose(redis -> RedisScript.ROUTE.runAsync(redis, keys, payload,
                bytes(Long.toString(retentionMillis)), bytes(member(channel.name, key)), bytes(Inbox.PREFIX),
                bytes(Long.toString(Inbox.TTL_MILLIS)))).handle((answer, failure) -> {
                    if (failure == null) {
                        return TAKEN_STATUS;
                    }
                    noteTrouble(failure);
                    return NOT_TAKEN_STATUS; // not received: the sender keeps it and retries
                });
    }

    @Override
    public Optional<String> troubleSince(long nanos) {
        return trouble.since(nanos);
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        inbox.close();
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection;
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::close);
        }
        redis.close();
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
            List<Object> due = RedisScript.SWEEP.run(connected(), new byte[][] { bytes(EARLY_INDEX) }, bytes(EARLY));
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
        trouble.note("Redis at " + where + " failed: " + describe(e));
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
}

package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.apiguardian.api.API;

/**
 * A Lettuce client for the Redis a fleet of daemons shares ({@code perpetual.redis.uri}), set up one way for every
 * part that uses it (webhook routing, leases): two I/O threads, commands bounded by a timeout, reconnecting by
 * itself every 250 ms, refusing commands while disconnected so callers fail fast instead of queueing. Needs
 * {@code io.lettuce:lettuce-core} on the class path (the daemon's jar carries it).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RedisEndpoint implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI redisUri;
    private final String where;

    private RedisEndpoint(URI uri, Duration timeout) {
        this.redisUri = RedisURI.create(uri.toString());
        redisUri.setTimeout(timeout);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(250))).nettyCustomizer(new ConsolidatedFlushes()).build();
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        this.where = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** A client for {@code uri}, whose commands may take at most {@code timeout}; it connects on first use. */
    public static RedisEndpoint of(URI uri, Duration timeout) {
        return new RedisEndpoint(uri, timeout);
    }

    /** The client. */
    public RedisClient client() {
        return client;
    }

    /** A new connection, made without blocking the caller. */
    public <K, V> CompletableFuture<StatefulRedisConnection<K, V>> connectAsync(RedisCodec<K, V> codec) {
        return client.connectAsync(codec, redisUri).toCompletableFuture();
    }

    /** The Redis's address for messages, without a password: {@code redis://host:port}. */
    public String where() {
        return where;
    }

    /**
     * Many threads' commands reach the I/O thread apart; Netty's {@link FlushConsolidationHandler} writes those queued
     * together with one system call instead of one each.
     */
    private static final class ConsolidatedFlushes implements NettyCustomizer {

        @Override
        public void afterChannelInitialized(Channel channel) {
            channel.pipeline().addFirst(new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
    }

    /** Shuts the client and its threads down, waiting at most two seconds. */
    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

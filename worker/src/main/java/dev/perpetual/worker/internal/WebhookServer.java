package dev.perpetual.worker.internal;

import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.perpetual.spi.WebhookEndpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * The worker's webhook port: a non-blocking HTTP/1.1 server (Netty, relocated inside the worker's kit jar so the
 * user's own Netty never meets it) that reads each request under {@code /webhooks/} whole and hands it to the
 * extension's {@link WebhookEndpoint}. A connection costs no thread: slow senders hold a socket and a small buffer
 * each, and {@link WebhookConnection} closes any that has not sent a whole request within {@link #REQUEST_TIME}.
 */
final class WebhookServer implements AutoCloseable {

    /** How long a port in use is tried again: a recycled worker's predecessor keeps it until its last runs end. */
    static final Duration BIND_WAIT = Duration.ofSeconds(30);
    /** The most a connection may take to send a whole request, from its opening or from its last answer. */
    static final Duration REQUEST_TIME = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Channel channel;

    private WebhookServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Serves {@code endpoint} on its {@linkplain WebhookEndpoint#address() address}, with
     * {@linkplain WebhookEndpoint#threads() threads} event-loop threads (0: one per processor).
     *
     * @throws IllegalStateException naming the address when it cannot be bound within {@link #BIND_WAIT}
     */
    static WebhookServer start(WebhookEndpoint endpoint) {
        return start(endpoint, REQUEST_TIME, false);
    }

    /** {@code shared}: other workers bind the same port ({@code SO_REUSEPORT}); the kernel spreads connections. */
    static WebhookServer start(WebhookEndpoint endpoint, Duration requestTime, boolean shared) {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE); // not the user's SLF4J binding
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        int threads = endpoint.threads() == 0 ? Runtime.getRuntime().availableProcessors() : endpoint.threads();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("perpetual-webhooks", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), shared)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        connection.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                                new WebhookConnection(endpoint, requestTime));
                    }
                });
        try {
            return new WebhookServer(group, bind(bootstrap, endpoint.address()));
        }
        catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The base URL of the bound port, such as {@code http://0.0.0.0:9402}. */
    URI url() {
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        String host = bound.getAddress().getHostAddress();
        if (bound.getAddress() instanceof Inet6Address) {
            host = "[" + host.replaceFirst("%.*", "") + "]";
        }
        return URI.create("http://" + host + ":" + bound.getPort());
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) {
        long deadline = System.nanoTime() + BIND_WAIT.toNanos();
        while (true) {
            ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
            if (bound.isSuccess()) {
                return bound.channel();
            }
            if (!(bound.cause() instanceof BindException) || address.getPort() == 0
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException("Cannot serve webhooks on " + address.getAddress().getHostAddress()
                        + ":" + address.getPort() + " (perpetual.webhooks.bind-address, perpetual.webhooks.port): "
                        + bound.cause().getMessage(), bound.cause());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for port " + address.getPort(), e);
            }
        }
    }
}

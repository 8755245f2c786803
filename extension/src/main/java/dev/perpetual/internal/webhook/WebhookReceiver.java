package dev.perpetual.internal.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.Constants;
import dev.perpetual.WebhookWaiter;
import dev.perpetual.internal.trace.W3cRunTrace;
import dev.perpetual.spi.PerpetualHost;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The launcher session's webhook receiver: {@code POST /webhooks/{channel}} on its own JDK {@link HttpServer} (the
 * daemon's worker's port, {@value Constants#WEBHOOKS_PORT}), or on a host's port when the host serves webhooks. One
 * {@link RunWebhooks} per run waits on it.
 *
 * <p>By default ({@value Constants#WEBHOOKS_THREADS} {@code = 0}) the standalone server handles requests on its
 * dispatcher thread: the handler never blocks on anything but the request's own body, and skipping the hand-off to
 * a pool roughly halves the CPU per request (see {@code WebhookBenchmark}). A positive value serves each connection
 * on a thread of its own from a pool that grows to that many (a few kept warm), so senders that trickle their
 * requests slowly hold a thread each and no more; past the bound a connection is closed, for its sender to retry.
 * The daemon's workers use 256.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** Channels are label values: at most this many, so a sender cannot grow the metrics without bound. */
    static final int MAX_CHANNELS = 256;
    /** Pool threads kept waiting for connections when {@value Constants#WEBHOOKS_THREADS} is positive. */
    static final int WARM_THREADS = 4;
    /** How long a port in use is tried again: a recycled worker's predecessor keeps it until its last runs end. */
    static final Duration BIND_WAIT = Duration.ofSeconds(30);

    final Settings settings;
    final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    final Routing routing;
    private final MeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService pool;
    private final String baseUrl;
    private volatile boolean closed;

    private WebhookReceiver(Settings settings, Optional<PerpetualHost> host, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        channel(WebhookWaiter.DEFAULT_CHANNEL); // a bad key for the default channel fails now, not at the first POST
        this.routing = settings.redis.isPresent() ? redisRouting()
                : host.flatMap(PerpetualHost::webhookRouter).<Routing>map(HostRouting::new).orElse(Routing.LOCAL);
        Intake intake = new Intake(this);
        if (host.isPresent() && host.get().servesWebhooks()) {
            this.server = null;
            this.pool = null;
            this.baseUrl = withoutSlash(servedBy(host.get(), intake).toString());
            host.get().webhooksServed(URI.create(baseUrl));
            return;
        }
        try {
            this.server = bind(settings);
        }
        catch (IOException e) {
            routing.close();
            throw new UncheckedIOException("Cannot serve webhooks on " + settings.bindAddress.getHostAddress() + ":"
                    + settings.port + " (" + Constants.WEBHOOKS_BIND_ADDRESS + ", " + Constants.WEBHOOKS_PORT + ")",
                    e);
        }
        this.pool = settings.threads == 0 ? null : elastic(settings.threads);
        server.setExecutor(pool);
        server.createContext(Intake.PREFIX, intake.httpHandler());
        server.start();
        InetSocketAddress bound = server.getAddress();
        this.baseUrl = "http://" + hostForUrl(bound.getAddress(), host.isPresent()) + ":" + bound.getPort();
        host.ifPresent(served -> served.webhooksServed(URI.create(baseUrl)));
    }

    /**
     * The session's receiver. With a host, {@link PerpetualHost#serveWebhooks} serves it on the host's port;
     * without, its own server on {@value Constants#WEBHOOKS_BIND_ADDRESS}:{@value Constants#WEBHOOKS_PORT}.
     *
     * @throws IllegalArgumentException naming the key, the value and the accepted form of a bad configuration value
     */
    public static WebhookReceiver start(Function<String, Optional<String>> config, Optional<PerpetualHost> host,
            MeterRegistry sessionRegistry) {
        return new WebhookReceiver(new Settings(config), host, sessionRegistry);
    }

    /** One run's waiter; {@code testRegistry} already carries the {@code test} tag. */
    public RunWebhooks openRun(String test, String runId, Instant deadline, MeterRegistry testRegistry) {
        return openRun(test, runId, deadline, testRegistry,
                W3cRunTrace.start(Constants.TENANCY_VALUE, test, runId));
    }

    /** Opens run {@code runId}, whose deliveries are counted by whether they carry {@code trace}'s trace id. */
    public RunWebhooks openRun(String test, String runId, Instant deadline, MeterRegistry testRegistry,
            W3cRunTrace trace) {
        requireOpen();
        return new RunWebhooks(this, test, runId, deadline, testRegistry, trace);
    }

    /** Stops its own server (not the host's) and ends every wait still going. */
    @Override
    public void close() {
        closed = true;
        if (server != null) {
            server.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        channels.values().forEach(channel -> channel.expectations.values().forEach(Expectation::end));
        routing.close();
    }

    /** The host's URL for the receiver, with this machine's address for a wildcard one. */
    private URI servedBy(PerpetualHost host, Intake intake) {
        URI served;
        try {
            served = host.serveWebhooks(intake);
        }
        catch (RuntimeException e) {
            routing.close();
            throw e;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(served.getHost());
        }
        catch (java.net.UnknownHostException e) {
            return served;
        }
        if (!address.isAnyLocalAddress()) {
            return served;
        }
        return URI.create(served.getScheme() + "://" + hostForUrl(address, true) + ":" + served.getPort()
                + (served.getRawPath() == null ? "" : served.getRawPath()));
    }

    /**
     * A delivery routed here from another process of the host: to its expectation, or unmatched when the run has
     * ended meanwhile.
     */
    boolean deliverRouted(String channelName, String key, byte[] body, Map<String, List<String>> headers,
            Instant receivedAt) {
        Channel channel = channelOrNull(channelName);
        if (channel == null) {
            return false;
        }
        Expectation expectation = channel.expectations.get(key);
        if (expectation == null) {
            channel.unmatched(key);
            return false;
        }
        // From the expectation to now: the hop between the processes included.
        expectation.deliverRouted(body, headers, receivedAt, System.nanoTime() - expectation.expectedAtNanos());
        return true;
    }

    /** Lettuce is an optional dependency: its absence is a configuration error, said as one. */
    private Routing redisRouting() {
        try {
            return RedisRouting.start(this);
        }
        catch (NoClassDefFoundError e) {
            throw new IllegalStateException(Constants.WEBHOOKS_STORE + " = [redis] needs the Redis client "
                    + "io.lettuce:lettuce-core on the class path (the daemon adds it to its worker when the key is "
                    + "given with --config; under mvn test add it as a test dependency)", e);
        }
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The webhook receiver is closed: the launcher session has ended");
        }
    }

    boolean isClosed() {
        return closed;
    }

    URI url(String channel) {
        requireValidName(channel);
        String base = settings.publicUrl.map(uri -> withoutSlash(uri.toString())).orElse(baseUrl);
        return URI.create(base + "/webhooks/" + channel);
    }

    /** The channel named {@code name}, created on first use; for tests' expectations. */
    Channel channel(String name) {
        requireValidName(name);
        Channel channel = channelOrNull(name);
        if (channel == null) {
            throw new IllegalStateException("Too many webhook channels: at most " + MAX_CHANNELS + ", ["
                    + name + "] would be one more");
        }
        return channel;
    }

    /** The channel of a request, or {@code null} when there are already {@link #MAX_CHANNELS} others. */
    Channel channelOrNull(String name) {
        Channel channel = channels.get(name);
        if (channel != null) {
            return channel;
        }
        synchronized (channels) {
            if (channels.size() >= MAX_CHANNELS) {
                return channels.get(name);
            }
            return channels.computeIfAbsent(name, n -> new Channel(n, settings.keyOf(n), registry));
        }
    }

    private static void requireValidName(String channel) {
        if (channel == null || !Channel.isValidName(channel, 0, channel.length())) {
            throw new IllegalArgumentException(
                    "Invalid webhook channel [" + channel + "]: expected " + Channel.NAME_FORM);
        }
    }

    /**
     * The host part of the URL tests hand to the system under test: the bound address, or for every interface this
     * machine's address under the daemon (its system under test may run elsewhere) and the loopback under
     * {@code mvn test}. {@value Constants#WEBHOOKS_PUBLIC_URL} overrides both.
     */
    private static String hostForUrl(InetAddress address, boolean underDaemon) {
        if (address.isAnyLocalAddress()) {
            if (underDaemon) {
                try {
                    return hostForUrl(InetAddress.getLocalHost(), false);
                }
                catch (java.net.UnknownHostException e) {
                    return "127.0.0.1";
                }
            }
            return "127.0.0.1";
        }
        String host = address.getHostAddress();
        return address instanceof Inet6Address ? "[" + host.replaceFirst("%.*", "") + "]" : host;
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The server on the configured address; a fixed port still held (by the worker this one replaces, until its last
     * runs end) is tried again for up to {@link #BIND_WAIT}, while the run that needs it waits.
     */
    private static HttpServer bind(Settings settings) throws IOException {
        long deadline = System.nanoTime() + BIND_WAIT.toNanos();
        while (true) {
            try {
                return HttpServer.create(new InetSocketAddress(settings.bindAddress, settings.port), 1024);
            }
            catch (BindException e) {
                if (settings.port == 0 || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Up to {@code threads} threads, one per connection being served, {@value #WARM_THREADS} of them kept warm. */
    private static ExecutorService elastic(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.min(WARM_THREADS, threads), threads, 30,
                TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads());
        pool.prestartAllCoreThreads();
        return pool;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "perpetual-webhooks-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package dev.perpetual.samples.pipeline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A small but honest tracking pipeline, the system under test of the samples: a Tracking API that analytics.js
 * can talk to, validation and de-duplication by {@code messageId}, processing (stamps {@code receivedAt}, sets
 * {@code processed: true}), and delivery to each source's webhook destinations with retries and backoff. A fault
 * switch ({@code POST /admin/faults}) makes it misbehave on purpose. {@code GET /page} is a customer's page with the
 * real analytics.js on it. Like a tenancy-aware service, it tells test traffic from a customer's by the
 * {@code perpetual.tenancy} baggage entry of each call, labels its own metrics ({@code GET /metrics}, Prometheus)
 * with {@code tenancy="test"} or {@code tenancy="customer"}, and puts the call's trace context and baggage back on
 * every webhook the event causes.
 *
 * <pre>
 * try (TrackingPipeline pipeline = TrackingPipeline.start(0)) {
 *     // PUT  {url}/admin/sources/{writeKey}/destinations/{name}  {"url": "http://…/webhooks/pipeline"}
 *     // POST {url}/v1/track  (Basic writeKey:)  {"messageId": "…", "userId": "…", "event": "Order Completed"}
 * }
 * </pre>
 */
public final class TrackingPipeline implements AutoCloseable {

    /**
     * The tenancies the pipeline labels as test traffic: Perpetual's default {@code perpetual.tenancy}. Any other
     * request is a customer's ({@code tenancy="customer"}).
     */
    private static final Set<String> TEST_TENANCIES = Set.of("test");

    private final HttpServer server;
    private final ExecutorService threads;
    private final Deliverer deliverer;

    private TrackingPipeline(HttpServer server, ExecutorService threads, Deliverer deliverer) {
        this.server = server;
        this.threads = threads;
        this.deliverer = deliverer;
    }

    /** Starts the pipeline on {@code port} of the loopback address; 0 picks a free port. */
    public static TrackingPipeline start(int port) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Starts the pipeline on {@code address}. */
    public static TrackingPipeline start(InetSocketAddress address) throws IOException {
        AtomicReference<Faults> faults = new AtomicReference<>(Faults.NONE);
        Tenancies tenancies = new Tenancies(TEST_TENANCIES);
        Stats stats = new Stats(tenancies);
        Sources sources = new Sources();
        Deliverer deliverer = new Deliverer(stats, faults::get);
        HttpServer server = HttpServer.create(address, 128);
        server.createContext("/v1/", new TrackingApi(sources, new Deduplicator(100_000), new Profiles(), deliverer,
                stats, faults::get, tenancies));
        AdminApi admin = new AdminApi(faults, sources, stats);
        server.createContext("/admin/", admin);
        server.createContext("/stats", admin);
        server.createContext("/metrics", admin);
        PageHandler page = new PageHandler();
        server.createContext("/page", page);
        server.createContext("/analytics/", page);
        ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "pipeline-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        return new TrackingPipeline(server, threads, deliverer);
    }

    /** The base URL, such as {@code http://127.0.0.1:43117}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        deliverer.close();
        threads.shutdownNow();
    }
}

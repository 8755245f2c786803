package dev.perpetual.worker.internal;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.spi.WebhookEndpoint;
import dev.perpetual.spi.WebhookRouter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the worker offers the extension for its launcher session: a registry whose meters are sent to the supervisor,
 * run reports, its run threads to lend, and a port of the webhooks' own ({@code perpetual.webhooks.port}), which the
 * supervisor is told of. A worker JVM serves that port with its own non-blocking {@link WebhookServer}; inside the
 * supervisor ({@code perpetual.isolation=in-process}, where the kit's relocated Netty is absent) the extension serves
 * it on the JDK's server.
 */
final class WorkerHost implements PerpetualHost {

    /**
     * The extension's own stuck-thread gauge: it counts threads of runs it handed to a pool of its own, and the worker
     * lends every run its thread, so the executor's {@link Message.Stuck} messages are the whole count.
     */
    private static final String EXTENSION_THREADS_STUCK = "perpetual.threads.stuck";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RunExecutor executor;
    private final Consumer<Message> out;

    private final boolean ownServer;
    private WebhookServer server;
    private volatile WebhookEndpoint endpoint;
    private volatile WorkerRouter router;

    WorkerHost(RunExecutor executor, Consumer<Message> out, boolean ownServer) {
        this.executor = executor;
        this.out = out;
        this.ownServer = ownServer;
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals(EXTENSION_THREADS_STUCK)));
    }

    @Override
    public MeterRegistry meterRegistry() {
        return registry;
    }

    @Override
    public boolean servesWebhooks() {
        return ownServer;
    }

    @Override
    public synchronized URI serveWebhooks(WebhookEndpoint endpoint) {
        if (server != null) {
            throw new IllegalStateException("The worker's webhooks are already served at " + server.url());
        }
        server = WebhookServer.start(endpoint, WebhookServer.REQUEST_TIME, router != null);
        this.endpoint = endpoint;
        return server.url();
    }

    @Override
    public Optional<WebhookRouter> webhookRouter() {
        return Optional.ofNullable(router);
    }

    /** Other workers share the webhook port: deliveries are routed between them through the supervisor. */
    void shareWebhooks() {
        router = new WorkerRouter(out);
    }

    /** The supervisor's answer to an expectation or a routed delivery. */
    void answered(long id, Message answer) {
        WorkerRouter current = router;
        if (current != null) {
            current.answered(id, answer);
        }
    }

    /** A delivery routed here by the supervisor; none is expected before the receiver is served. */
    void deliver(Message.Deliver delivery) {
        WebhookEndpoint served = endpoint;
        if (served != null) {
            served.deliverRouted(delivery.channel(), delivery.key(), delivery.body(), delivery.headers(),
                    Instant.ofEpochSecond(0, delivery.receivedMicros() * 1000));
        }
    }

    @Override
    public void webhooksServed(URI baseUrl) {
        out.accept(new Message.WebhooksServed(baseUrl.toString()));
    }

    @Override
    public void runFinished(RunReport report) {
        executor.reported(report);
    }

    @Override
    public Optional<String> runId() {
        return executor.assignedRunId();
    }

    @Override
    public boolean lendsCurrentThread() {
        return executor.lendsCurrentThread();
    }

    @Override
    public void runAbandoned(RunReport report, Thread thread) {
        executor.abandoned(report, thread);
    }

    SimpleMeterRegistry registry() {
        return registry;
    }

    /** Stops the webhook port, if this host served it. */
    synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

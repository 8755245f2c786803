package dev.perpetual.worker.internal;

import java.net.URI;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpHandler;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the worker offers the extension for its launcher session: a registry whose meters are sent to the supervisor,
 * run reports, its run threads to lend, and a port of the webhooks' own ({@code perpetual.webhooks.port}), which the
 * extension serves and the supervisor is told of.
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

    WorkerHost(RunExecutor executor, Consumer<Message> out) {
        this.executor = executor;
        this.out = out;
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals(EXTENSION_THREADS_STUCK)));
    }

    @Override
    public MeterRegistry meterRegistry() {
        return registry;
    }

    @Override
    public boolean servesWebhooks() {
        return false;
    }

    @Override
    public URI serveWebhooks(HttpHandler receiver) {
        throw new UnsupportedOperationException("The worker's webhooks have a port of their own");
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
}

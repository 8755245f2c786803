package dev.perpetual.daemon.internal;

import java.net.URI;

import com.sun.net.httpserver.HttpHandler;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the daemon offers the extension for its launcher session: its registry, its port, run reports, and its
 * workers' threads to run test methods on.
 */
final class DaemonHost implements PerpetualHost {

    private final DaemonMetrics metrics;
    private final HttpApi http;
    private final RunExecutor executor;

    DaemonHost(DaemonMetrics metrics, HttpApi http, RunExecutor executor) {
        this.metrics = metrics;
        this.http = http;
        this.executor = executor;
    }

    @Override
    public MeterRegistry meterRegistry() {
        return metrics.forExtension();
    }

    @Override
    public URI serveWebhooks(HttpHandler receiver) {
        http.serveWebhooks(receiver);
        return http.baseUrl();
    }

    @Override
    public void runFinished(RunReport report) {
        executor.reported(report);
    }

    /** On a worker running a test: yes; it spares a hand-off per run, and a stuck run is carried on elsewhere. */
    @Override
    public boolean lendsCurrentThread() {
        return executor.lendsCurrentThread();
    }

    @Override
    public void runAbandoned(RunReport report, Thread thread) {
        executor.abandoned(report, thread);
    }
}

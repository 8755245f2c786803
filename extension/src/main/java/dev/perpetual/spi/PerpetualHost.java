package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;

import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import org.apiguardian.api.API;

/**
 * What a program that runs perpetual tests over and over (the Perpetual daemon) offers the extension for the life
 * of its launcher session. Without a host, as under {@code mvn test} or in an IDE, the extension serves webhooks
 * on its own port, keeps meters in memory and publishes results as JUnit report entries.
 *
 * <p>A host puts itself in the launcher session's store before executing tests:
 * <pre>
 * session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
 * </pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface PerpetualHost {

    /** The single part of the store namespace a host is kept under: {@value}. */
    String NAMESPACE = "dev.perpetual.host";

    /** The key a host is kept under: {@value}. */
    String KEY = "host";

    /**
     * The registry test meters ({@code O.metrics()}, steps, webhook latency) are registered in. The extension adds
     * the {@code test} tag; the host adds whatever else it wants (such as {@code location}).
     */
    MeterRegistry meterRegistry();

    /**
     * Serves the session's webhook receiver on the host's own HTTP server, for every path under
     * {@code /webhooks/}. Called at most once per session.
     *
     * @return the base URL of that server, such as {@code http://10.0.0.5:9400}
     */
    URI serveWebhooks(HttpHandler receiver);

    /** Called once per run, after its cleanups, on the thread that ran the test's lifecycle. */
    void runFinished(RunReport report);
}

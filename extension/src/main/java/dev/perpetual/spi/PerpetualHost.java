package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;

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
     * {@code /webhooks/}: either an existing server ({@link WebhookEndpoint#httpHandler()} mounts on a JDK one) or
     * one of the webhooks' own on {@link WebhookEndpoint#address()}. Called at most once per session.
     *
     * @return the base URL of that server, such as {@code http://10.0.0.5:9400}; a wildcard host
     *         ({@code 0.0.0.0}) is replaced by this machine's address
     */
    URI serveWebhooks(WebhookEndpoint endpoint);

    /**
     * Whether the host serves the webhook receiver on its own server ({@link #serveWebhooks}). A host that answers
     * false leaves the extension to serve them on
     * {@code perpetual.webhooks.bind-address}:{@code perpetual.webhooks.port}, and is told where by
     * {@link #webhooksServed}. The default is true.
     */
    default boolean servesWebhooks() {
        return true;
    }

    /**
     * The id of the run whose test is about to start on the current thread, when the host chose it (a run started on
     * request, whose id the requester was given); empty, the default, for the extension to make one. Asked once per
     * attempt, before the test's {@code @BeforeEach} methods.
     */
    default java.util.Optional<String> runId() {
        return java.util.Optional.empty();
    }

    /**
     * How deliveries reach the run that expects them when several processes of the host share the webhook port; empty
     * (the default) when this process is the only one behind it. {@code perpetual.webhooks.store=redis} takes
     * precedence: Redis routes between every process of every host.
     */
    default java.util.Optional<WebhookRouter> webhookRouter() {
        return java.util.Optional.empty();
    }

    /**
     * The session's webhook receiver is served at {@code baseUrl}, by the host ({@link #serveWebhooks}) or by the
     * extension's own server; called once, when it starts.
     */
    default void webhooksServed(URI baseUrl) {
    }

    /**
     * Called once per run, after its cleanups, on the thread that ran the test's lifecycle; or, for a run whose test
     * method ran on a {@linkplain #lendsCurrentThread() lent thread} and was abandoned, not at all:
     * {@link #runAbandoned} is called instead.
     */
    void runFinished(RunReport report);

    /**
     * Whether the test method about to run may run on the current thread, the one that called
     * {@code Launcher.execute} for this run, rather than on a thread of the extension's own. Asked on that thread
     * before each test method whose timeout is enforced. Running it here saves a thread hand-off per run (about half
     * of the extension's per-run cost); the price is the host's:
     * <ul>
     * <li>at the deadline (plus a grace) the extension interrupts the current thread, and clears the interrupt again
     * if the test method then returns;</li>
     * <li>if the test method does not return within a short settle after the interrupt, the extension records the
     * run as {@code timeout} from another thread: it runs the run's cleanups there and calls
     * {@link #runAbandoned(RunReport, Thread)}, and leaves the current thread to the test. The host must not wait
     * for that thread: {@code execute} returns when (if ever) the test method does, without another report.</li>
     * </ul>
     * Answer false where the current thread is not dedicated to the run (a parallel Jupiter configuration, a thread
     * the host cannot spare). The default is false: the extension hands every test method to a thread of its own.
     */
    default boolean lendsCurrentThread() {
        return false;
    }

    /**
     * The run whose test method ran on {@code thread}, a {@linkplain #lendsCurrentThread() lent thread}, passed its
     * deadline and did not stop when interrupted: it is over, its cleanups have run, and {@code report} is its one
     * report (outcome {@code timeout}, {@code testThreadStuck} true, the failure's stack the thread's at the
     * deadline). Called on another thread, while {@code thread} is still inside the test method; instead of
     * {@link #runFinished}. The default hands the report to {@link #runFinished}.
     */
    default void runAbandoned(RunReport report, Thread thread) {
        runFinished(report);
    }
}

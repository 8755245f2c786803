package dev.perpetual;

import static dev.perpetual.TestKit.assertAllSucceeded;
import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.failure;
import static dev.perpetual.TestKit.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.spi.WebhookEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

@DisplayName("WebhookWaiter in a @Perpetual test")
class WebhookWaiterTest {

    @Test
    void receives_the_webhook_it_expects_and_reports_it() {
        EngineExecutionResults results = execute(DeliveredTestCase.class);

        assertAllSucceeded(results);
        assertThat(reportEntries(results, "perpetual.webhook")).singleElement().asString()
                .matches("default/order-\\S+ 1 deliveries, first after \\S+");
    }

    @Test
    void a_missing_webhook_fails_the_run_saying_what_arrived_instead() {
        Throwable failure = failure(execute(MissingTestCase.class));

        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageMatching("No webhook with key 'never' on channel 'default' within 300ms\\. Meanwhile: 1 "
                        + "unmatched \\(last key 'someone-else'\\), 0 duplicates, 0 rejected\\. Is the system under "
                        + "test delivering to http://127\\.0\\.0\\.1:\\d+/webhooks/default\\?");
        assertThat(Outcome.of(failure)).isEqualTo(Outcome.FAIL);
    }

    @Test
    void the_receiver_starts_once_per_session_and_expectations_end_with_their_run() {
        SameKeyTestCase.urls.clear();

        assertAllSucceeded(execute(SameKeyTestCase.class));

        assertThat(SameKeyTestCase.urls).hasSize(2).doesNotHaveDuplicates();
        assertThat(SameKeyTestCase.urls.stream().map(URI::getPort).distinct()).hasSize(1);
    }

    @Test
    void under_a_host_the_receiver_is_served_on_the_hosts_port_and_every_run_reports_its_webhooks()
            throws IOException {
        HostServingWebhooks host = new HostServingWebhooks();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
            LauncherDiscoveryRequest request = request().selectors(selectClass(DeliveredTestCase.class)).build();

            session.getLauncher().execute(request);
            session.getLauncher().execute(request);
        }
        finally {
            host.server.stop(0);
        }

        assertThat(host.reports).hasSize(2).allSatisfy(report -> {
            assertThat(report.outcome()).isEqualTo(Outcome.PASS);
            assertThat(report.webhooks()).singleElement().satisfies(webhook -> {
                assertThat(webhook.channel()).isEqualTo("default");
                assertThat(webhook.deliveries()).isEqualTo(1);
                assertThat(webhook.latency()).isPresent();
            });
        });
        assertThat(DeliveredTestCase.lastUrl.getPort()).isEqualTo(host.server.getAddress().getPort());
        assertThat(host.registry.get("perpetual.webhook.latency").tags("test", "DeliveredTestCase.delivered",
                "channel", "default").timer().count()).isEqualTo(2);
        assertThat(host.registry.get("perpetual.webhook.received").tags("channel", "default", "result", "matched")
                .counter().count()).isEqualTo(2);
    }

    static void deliver(URI url, String json) throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isBetween(200, 299);
    }

    static class DeliveredTestCase {

        static volatile URI lastUrl;

        @Perpetual(period = "1m", timeout = "10s")
        void delivered(O o, WebhookWaiter webhooks) throws Exception {
            lastUrl = webhooks.url();
            String key = "order-" + o.runId();
            PendingWebhook pending = webhooks.expect(key);
            deliver(webhooks.url(), "{\"id\":\"" + key + "\",\"processed\":true}");
            ReceivedWebhook received = pending.await();
            assertThat(received.body()).contains("\"processed\":true");
            assertThat(received.key()).isEqualTo(key);
        }
    }

    static class MissingTestCase {

        @Perpetual(period = "1m", timeout = "5s")
        void missing(WebhookWaiter webhooks) throws Exception {
            PendingWebhook pending = webhooks.expect("never");
            deliver(webhooks.url(), "{\"id\":\"someone-else\"}");
            pending.await(java.time.Duration.ofMillis(300));
        }
    }

    static class SameKeyTestCase {

        static final List<URI> urls = new CopyOnWriteArrayList<>();

        @Perpetual(period = "1m", timeout = "10s")
        void first(WebhookWaiter webhooks) throws Exception {
            expectAndReceive(webhooks, "first");
        }

        @Perpetual(period = "1m", timeout = "10s")
        void second(WebhookWaiter webhooks) throws Exception {
            expectAndReceive(webhooks, "second");
        }

        private static void expectAndReceive(WebhookWaiter webhooks, String channel) throws Exception {
            urls.add(webhooks.url(channel));
            PendingWebhook pending = webhooks.expect(channel, "same-key");
            deliver(webhooks.url(channel), "{\"id\":\"same-key\"}");
            pending.await();
        }
    }

    /** A host that serves the receiver on its own real HTTP server, as the daemon does. */
    static final class HostServingWebhooks implements PerpetualHost {

        final MeterRegistry registry = new SimpleMeterRegistry();
        final List<RunReport> reports = new CopyOnWriteArrayList<>();
        final HttpServer server;

        HostServingWebhooks() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.start();
        }

        @Override
        public MeterRegistry meterRegistry() {
            return registry;
        }

        @Override
        public URI serveWebhooks(WebhookEndpoint endpoint) {
            server.createContext("/webhooks/", endpoint.httpHandler());
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void runFinished(RunReport report) {
            reports.add(report);
        }
    }
}

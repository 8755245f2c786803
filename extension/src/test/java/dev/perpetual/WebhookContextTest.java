package dev.perpetual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.testing.WebhookSendingService;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("Webhooks counted by whether they kept the run's trace context (tenancy coverage)")
class WebhookContextTest {

    private static final String SERVICE = "perpetual.env.service.url";

    @Test
    void a_webhook_that_echoes_the_runs_headers_counts_kept() throws Exception {
        try (WebhookSendingService service = WebhookSendingService.echoing()) {
            Hosted run = execute(service);

            assertThat(run.reports).singleElement().extracting(RunReport::outcome).isEqualTo(Outcome.PASS);
            assertThat(context(run.registry, "kept")).isEqualTo(1);
            assertThat(context(run.registry, "lost")).isZero();
        }
    }

    @Test
    void a_webhook_that_drops_them_counts_lost_and_the_run_still_passes_by_default() throws Exception {
        try (WebhookSendingService service = WebhookSendingService.dropping()) {
            Hosted run = execute(service);

            assertThat(run.reports).singleElement().extracting(RunReport::outcome).isEqualTo(Outcome.PASS);
            assertThat(context(run.registry, "kept")).isZero();
            assertThat(context(run.registry, "lost")).isEqualTo(1);
        }
    }

    @Test
    void with_require_on_webhooks_a_webhook_that_lost_them_fails_the_run_naming_channel_key_and_headers()
            throws Exception {
        try (WebhookSendingService service = WebhookSendingService.dropping()) {
            Hosted run = execute(service, Constants.TENANCY_REQUIRE_ON_WEBHOOKS, "true");

            RunReport report = run.reports.get(0);
            String traceId = report.trace().traceId();
            assertThat(report.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(report.message()).hasValue("Webhook with key 'order-" + report.runId() + "' on channel "
                    + "'orders' lost the run's trace context (perpetual.tenancy.require-on-webhooks=true): expected the "
                    + "headers traceparent [" + report.trace().traceparent() + "] (or another span of trace " + traceId
                    + ") and baggage [perpetual.tenancy=test,perpetual.test=DeliveringTestCase.delivers,perpetual.run="
                    + report.runId() + "], but it carried traceparent [none] and baggage [none]. Every hop of the "
                    + "system under test must pass on the traceparent and baggage it received.");
            assertThat(context(run.registry, "lost")).isEqualTo(1);
        }
    }

    @Test
    void with_require_on_webhooks_a_webhook_that_kept_them_passes() throws Exception {
        try (WebhookSendingService service = WebhookSendingService.echoing()) {
            Hosted run = execute(service, Constants.TENANCY_REQUIRE_ON_WEBHOOKS, "true");

            assertThat(run.reports).singleElement().extracting(RunReport::outcome).isEqualTo(Outcome.PASS);
        }
    }

    private static double context(MeterRegistry registry, String context) {
        return registry.get("perpetual.webhook.context").tags("channel", "orders", "context", context).counter()
                .count();
    }

    /** Runs {@link DeliveringTestCase} once under a host that serves the webhooks and keeps reports and meters. */
    private static Hosted execute(WebhookSendingService service, String... config) throws Exception {
        WebhookWaiterTest.HostServingWebhooks host = new WebhookWaiterTest.HostServingWebhooks();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
            var request = request().selectors(selectClass(DeliveringTestCase.class))
                    .configurationParameter(SERVICE, service.url().toString());
            for (int i = 0; i < config.length; i += 2) {
                request.configurationParameter(config[i], config[i + 1]);
            }
            session.getLauncher().execute(request.build());
        }
        finally {
            host.server.stop(0);
        }
        return new Hosted(List.copyOf(host.reports), host.registry);
    }

    private record Hosted(List<RunReport> reports, MeterRegistry registry) {
    }

    static class DeliveringTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void delivers(O o, WebhookWaiter webhooks) throws Exception {
            String key = "order-" + o.runId();
            PendingWebhook pending = webhooks.expect("orders", key);
            URI send = URI.create(o.requireConfig(SERVICE) + "?to="
                    + URLEncoder.encode(webhooks.url("orders").toString(), StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(send)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + key + "\"}"));
            o.trace().headers().forEach(request::header);
            HttpResponse<Void> accepted = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(accepted.statusCode()).isEqualTo(202);

            ReceivedWebhook received = pending.await();
            if (received.traceparent().isPresent()) {
                assertThat(received.traceparent()).hasValue(o.trace().traceparent());
                assertThat(received.baggage()).hasValue(o.trace().baggage());
            }
        }
    }
}

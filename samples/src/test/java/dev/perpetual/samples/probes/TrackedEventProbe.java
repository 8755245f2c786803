package dev.perpetual.samples.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.perpetual.O;
import dev.perpetual.PendingWebhook;
import dev.perpetual.Perpetual;
import dev.perpetual.ReceivedWebhook;
import dev.perpetual.Shared;
import dev.perpetual.WebhookWaiter;

/**
 * Orbital's smoke test, done right: a tracked event comes out of the webhook destination, processed. The
 * expectation is registered before the event is sent, and removed when the run ends.
 */
class TrackedEventProbe extends PipelineProbe {

    static final String WRITE_KEY = "probe-tracked-event";

    @Perpetual(period = "10s", timeout = "10s")
    void trackedEventIsDeliveredProcessed(O o, WebhookWaiter webhooks, PipelineClient pipeline) throws Exception {
        o.step("configure destination", () -> pipeline.deliverTo(WRITE_KEY, "probe", webhooks.url("pipeline")));
        String messageId = "probe-" + o.runId();
        PendingWebhook delivery = webhooks.expect("pipeline", messageId);

        HttpResponse<String> accepted = o.step("track", () -> pipeline.send("track", WRITE_KEY, Map.of(
                "messageId", messageId, "userId", "probe-user", "event", "Order Completed",
                "properties", Map.of("total", 42)), o.trace()));
        assertThat(accepted.statusCode()).as("Tracking API status, body %s", accepted.body()).isEqualTo(200);

        ReceivedWebhook webhook = o.step("await delivery", () -> delivery.await());
        assertThat(webhook.body()).contains("\"processed\":true", "\"event\":\"Order Completed\"", "\"receivedAt\"");
        assertThat(webhook.baggage()).as("the pipeline keeps the run's tenancy through its queue")
                .hasValue(o.trace().baggage());
        o.metrics().timer("samples.pipeline.end.to.end").record(webhook.latency());
        o.metrics().counter("samples.orders.tracked").increment();
        o.log("delivered after %s", webhook.latency());
    }
}

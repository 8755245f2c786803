package dev.perpetual.samples.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.perpetual.O;
import dev.perpetual.PendingWebhook;
import dev.perpetual.Perpetual;
import dev.perpetual.Shared;
import dev.perpetual.WebhookWaiter;

/** The same message sent twice is delivered exactly once: waits for a second delivery that must not come. */
class DuplicateMessageProbe extends PipelineProbe {

    static final String WRITE_KEY = "probe-duplicate";

    @Perpetual(period = "10s", timeout = "10s")
    void duplicateIsDeliveredOnce(O o, WebhookWaiter webhooks, PipelineClient pipeline) throws Exception {
        pipeline.deliverTo(WRITE_KEY, "probe", webhooks.url("pipeline"));
        String messageId = "dup-" + o.runId();
        PendingWebhook delivery = webhooks.expect("pipeline", messageId);
        Map<String, Object> message = Map.of("messageId", messageId, "userId", "probe-user", "event", "Signed Up");

        assertThat(pipeline.send("track", WRITE_KEY, message, o.trace()).statusCode()).isEqualTo(200);
        assertThat(pipeline.send("track", WRITE_KEY, message, o.trace()).statusCode()).isEqualTo(200);

        delivery.await();
        delivery.assertAtMost(1, Duration.ofSeconds(1));
    }
}

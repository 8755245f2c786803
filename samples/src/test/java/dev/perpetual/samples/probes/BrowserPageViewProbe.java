package dev.perpetual.samples.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.O;
import dev.perpetual.PendingWebhook;
import dev.perpetual.Perpetual;
import dev.perpetual.ReceivedWebhook;
import dev.perpetual.WebhookWaiter;
import dev.perpetual.selenium.Browser;
import dev.perpetual.selenium.BrowserNetwork;
import dev.perpetual.selenium.CapturedRequest;
import org.junit.jupiter.api.Tag;
import org.openqa.selenium.WebDriver;

/**
 * A page view from a real headless Chromium with the real analytics.js reaches the destination: the page's
 * {@code page} and {@code track} calls both arrive, processed. Each hop is
 * measured: page → collector (the beacon, captured through WebDriver BiDi) and collector → destination (the
 * pipeline's {@code receivedAt} stamp to the webhook's arrival). The page's beacon carries the run's trace headers
 * (its origin is the first page's), and the delivery brings them back.
 */
@Browser
@Tag("browser")
class BrowserPageViewProbe extends PipelineProbe {

    static final String WRITE_KEY = "probe-browser";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Perpetual(period = "20s", timeout = "30s")
    void pageViewReachesTheDestination(O o, WebDriver driver, BrowserNetwork network, WebhookWaiter webhooks,
            PipelineClient pipeline) throws Exception {
        pipeline.deliverTo(WRITE_KEY, "probe", webhooks.url("browser"));
        String probeId = "page-" + o.runId();
        PendingWebhook delivery = webhooks.expect("browser", probeId);

        o.step("load page", () -> driver.get(pipeline.url() + "/page?writeKey=" + WRITE_KEY + "&probe=" + probeId));
        CapturedRequest beacon = o.step("page to collector", () -> network.await(request ->
                request.method().equals("POST") && request.url().getPath().equals("/v1/t")
                        && request.body().contains(probeId)));
        assertThat(beacon.status()).as("collector's answer to the beacon %s", beacon.body()).isEqualTo(200);

        List<ReceivedWebhook> deliveries = o.step("collector to destination", () -> delivery.awaitCount(2));
        ReceivedWebhook webhook = deliveries.stream().filter(hook -> hook.body().contains("\"type\":\"track\""))
                .findFirst().orElseThrow(() -> new AssertionError("no track event among " + deliveries));
        JsonNode event = JSON.readTree(webhook.body());
        assertThat(event.path("event").asText()).isEqualTo("Probe Page Viewed");
        assertThat(event.path("processed").asBoolean()).isTrue();
        assertThat(deliveries).anySatisfy(hook -> assertThat(hook.body()).contains("\"type\":\"page\""));
        // The page's beacon left with the run's trace headers, and the pipeline put them back on its delivery.
        assertThat(beacon.header("traceparent")).contains(o.trace().traceparent());
        assertThat(webhook.baggage()).contains(o.trace().baggage());

        Duration collectorToDestination = Duration.between(Instant.parse(event.path("receivedAt").asText()),
                webhook.receivedAt());
        o.metrics().timer("samples.hop", "hop", "page_to_collector").record(beacon.duration());
        o.metrics().timer("samples.hop", "hop", "collector_to_destination").record(collectorToDestination);
        o.log("page → collector %s, collector → destination %s", beacon.duration(), collectorToDestination);
    }
}

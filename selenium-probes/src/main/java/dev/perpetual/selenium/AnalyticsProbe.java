package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;

import org.apiguardian.api.API;

/**
 * Loads a page with the real {@code @segment/analytics-next} browser bundle in this run's browser, so a probe can
 * fire {@code track}/{@code page} and follow the event from the page to the other end of the pipeline.
 *
 * <pre>
 * &#64;Perpetual(period = "1m", timeout = "30s")
 * void trackReachesWarehouse(O o, AnalyticsProbe analytics, WebhookWaiter webhooks) {
 *     AnalyticsPage page = analytics.open(URI.create("https://collector.example.com"), "probe-write-key");
 *     Beacon beacon = page.track("Probe Ran", Map.of("runId", o.runId()));
 *     webhooks.expect(beacon.messageId()).await();
 * }
 * </pre>
 *
 * The page is served by a small HTTP server shared by the session; with {@link #open()} the bundle also posts to
 * that server's own collector, so a probe can check the browser half of the pipeline on its own.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface AnalyticsProbe {

    /** Opens the probe page, sending events to the session's own local collector, whose write key is {@value #LOCAL_WRITE_KEY}. */
    AnalyticsPage open();

    /**
     * Opens the probe page, sending events to {@code apiHost} (such as {@code https://api.segment.io}; the bundle
     * posts to {@code <apiHost>/v1/t}) with {@code writeKey}. A collector on another origin must answer the CORS
     * preflight.
     */
    AnalyticsPage open(URI apiHost, String writeKey);

    /** The URL of the local collector, which answers every beacon and keeps none. */
    URI localCollector();

    /** The write key {@link #open()} uses: {@value}. */
    String LOCAL_WRITE_KEY = "perpetual-probe";
}

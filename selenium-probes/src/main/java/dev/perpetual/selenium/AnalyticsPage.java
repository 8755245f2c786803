package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;

import org.apiguardian.api.API;

/**
 * A page in this run's browser tab with the real analytics.js loaded and ready. Each call waits for its beacon to
 * be answered by the collector and records {@code perpetual.browser.beacon.latency}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface AnalyticsPage {

    /**
     * Calls {@code analytics.track(event, properties)} and returns its beacon.
     *
     * @throws AssertionError when no beacon reached the collector in time, or the collector refused it
     */
    Beacon track(String event, Map<String, ?> properties);

    /** Calls {@code analytics.page(category, name)} and returns its beacon; see {@link #track}. */
    Beacon page(String category, String name);
}

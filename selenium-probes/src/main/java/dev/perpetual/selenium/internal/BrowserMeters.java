package dev.perpetual.selenium.internal;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The browser meters, registered in the run's registry (already tagged {@code test}): in Prometheus
 * {@code perpetual_browser_page_load_seconds}, {@code perpetual_browser_beacon_latency_seconds} and
 * {@code perpetual_browser_restarts_total}.
 */
final class BrowserMeters {

    static final String PAGE_LOAD = "perpetual.browser.page.load";
    static final String BEACON_LATENCY = "perpetual.browser.beacon.latency";
    static final String RESTARTS = "perpetual.browser.restarts";

    private BrowserMeters() {
    }

    static void pageLoad(MeterRegistry registry, Duration duration) {
        Timer.builder(PAGE_LOAD)
                .description("Navigation timing of pages loaded by browser probes, from navigation start to the end "
                        + "of the load event")
                .register(registry)
                .record(duration);
    }

    static void beaconLatency(MeterRegistry registry, Duration duration) {
        Timer.builder(BEACON_LATENCY)
                .description("From an analytics.js call in the page to its collector's answer reaching the browser")
                .register(registry)
                .record(duration);
    }

    static Counter restarts(MeterRegistry registry) {
        return Counter.builder(RESTARTS)
                .description("Browsers replaced because they crashed or stopped answering")
                .register(registry);
    }
}

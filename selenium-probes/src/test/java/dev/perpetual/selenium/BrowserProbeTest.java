package dev.perpetual.selenium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.openqa.selenium.WebDriver;

/** A real headless Chromium, driven through the Jupiter engine. */
class BrowserProbeTest {

    @RegisterExtension
    static final TestSite site = new TestSite();

    static EngineExecutionResults execute(Class<?> testCase, Map<String, String> config) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(config)
                .selectors(selectClass(testCase))
                .execute();
    }

    /** Fails with the test case's own failure as the cause, so its message and stack are in the report. */
    static void assertPassed(EngineExecutionResults results, int tests) {
        results.testEvents().failed().stream().findFirst().ifPresent(event -> {
            throw new AssertionError("test case failed: " + event.getTestDescriptor().getDisplayName(),
                    event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                            .getThrowable().orElse(null));
        });
        results.testEvents().assertStatistics(stats -> stats.started(tests).succeeded(tests));
    }

    @Test
    @DisplayName("loads a page, reads its title, captures its request body and times the page load")
    void loadsPageAndTitle() {
        EngineExecutionResults results = execute(PageTestCase.class, Map.of());

        assertPassed(results, 1);
    }

    @Test
    @DisplayName("captures the beacon the real analytics.js sends, with its body and latency")
    void capturesAnalyticsBeacon() {
        EngineExecutionResults results = execute(AnalyticsTestCase.class, Map.of());

        assertPassed(results, 1);
    }

    @Browser
    static class PageTestCase {

        @Perpetual(period = "1m", timeout = "30s")
        void shopPage(WebDriver driver, BrowserNetwork network, O o) {
            driver.get(site.url("/shop").toString());

            assertThat(driver.getTitle()).isEqualTo(TestSite.TITLE);
            CapturedRequest cart = network.await(request -> request.url().getPath().equals("/api/cart"));
            assertThat(cart.method()).isEqualTo("POST");
            assertThat(cart.status()).isEqualTo(200);
            assertThat(cart.header("Content-Type")).contains("application/json");
            assertThat(cart.body()).isEqualTo("{\"item\":\"socks\",\"quantity\":2}");
            assertThat(cart.duration()).isPositive();
            assertThat(network.requests()).extracting(request -> request.url().getPath())
                    .containsSubsequence("/shop", "/api/cart");
            assertThat(o.metrics().get("perpetual.browser.page.load").timer().count()).isEqualTo(1);
        }
    }

    @Browser
    static class AnalyticsTestCase {

        @Perpetual(period = "1m", timeout = "30s")
        void trackBeacon(AnalyticsProbe analytics, O o) {
            AnalyticsPage page = analytics.open();

            Beacon beacon = page.track("Probe Ran", Map.of("runId", o.runId()));

            CapturedRequest request = beacon.request();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.url()).isEqualTo(analytics.localCollector().resolve("t"));
            assertThat(request.header("Content-Type")).contains("text/plain");
            assertThat(request.header("Authorization")).contains("Basic " + Base64.getEncoder()
                    .encodeToString((AnalyticsProbe.LOCAL_WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)));
            assertThat(request.body()).contains("\"event\":\"Probe Ran\"", "\"runId\":\"" + o.runId() + "\"",
                    "\"messageId\":\"" + beacon.messageId() + "\"", "\"type\":\"track\"");
            assertThat(request.status()).isEqualTo(200);
            assertThat(request.headers()).as("the run's trace headers, on the collector's origin")
                    .containsAllEntriesOf(o.trace().headers());
            assertThat(beacon.latency()).isPositive();
            assertThat(o.metrics().get("perpetual.browser.beacon.latency").timer().count()).isEqualTo(1);
            assertThat(o.metrics().get("perpetual.browser.page.load").timer().count()).isEqualTo(1);

            assertThat(page.page("Probes", "Home").request().body()).contains("\"type\":\"page\"");
        }
    }
}

package dev.perpetual.selenium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.perpetual.Constants;
import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.RunTrace;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;

/**
 * The run's {@code traceparent}, {@code tracestate} and {@code baggage} on the requests a real headless Chromium
 * makes, added through WebDriver BiDi network interception, as three real loopback sites receive them.
 */
class BrowserTraceHeadersTest {

    @RegisterExtension
    static final TestSite site = new TestSite();

    @RegisterExtension
    static final TestSite second = new TestSite();

    @RegisterExtension
    static final TestSite other = new TestSite();

    private static final String[] OWN_REQUESTS = {"/traced", "/api/fetch", "/api/xhr", "/api/beacon"};

    @Test
    @DisplayName("by default the first page's origin is marked: its load, fetch, XHR and sendBeacon carry the run's "
            + "three headers (and the page's cookie), as CapturedRequest shows; other origins' requests carry none, "
            + "a later page on another origin included")
    void firstPageOriginByDefault() {
        BrowserProbeTest.assertPassed(BrowserProbeTest.execute(DefaultOriginsTestCase.class, Map.of()), 1);
    }

    @Test
    @DisplayName("perpetual.tenancy.browser-origins marks each origin it lists, a cross-origin fetch's included, and "
            + "no other")
    void configuredOrigins() {
        BrowserProbeTest.assertPassed(BrowserProbeTest.execute(ConfiguredOriginsTestCase.class, Map.of(
                Constants.TENANCY_BROWSER_ORIGINS, site.origin() + ", " + second.origin())), 1);
    }

    @Test
    @DisplayName("perpetual.tenancy.browser-origins=none marks no request")
    void noneMarksNothing() {
        BrowserProbeTest.assertPassed(BrowserProbeTest.execute(NoOriginTestCase.class, Map.of(
                Constants.TENANCY_BROWSER_ORIGINS, "none")), 1);
    }

    /** Opens the traced page on {@link #site} and waits until each of its requests has finished. */
    private static void openTracedPage(WebDriver driver, BrowserNetwork network) {
        driver.get(site.url("/traced?second=" + second.origin() + "&other=" + other.origin()).toString());
        for (String path : TestSite.TRACED_PAGE_REQUESTS) {
            network.await(request -> request.url().getPath().equals(path));
        }
    }

    private static CapturedRequest captured(BrowserNetwork network, TestSite on, String path) {
        return network.requests().stream().filter(request -> request.url().toString().startsWith(on.origin())
                && request.url().getPath().equals(path)).reduce((first, later) -> later).orElseThrow();
    }

    /** {@code path}, as {@code on} received it and as the browser says it sent it, carried the run's headers. */
    private static void assertMarked(O o, BrowserNetwork network, TestSite on, String path) {
        Map<String, String> received = on.received(path);
        CapturedRequest request = captured(network, on, path);
        for (String header : new String[] {RunTrace.TRACEPARENT, RunTrace.TRACESTATE, RunTrace.BAGGAGE}) {
            assertThat(received).as("%s received by %s", header, path).containsEntry(header,
                    o.trace().headers().get(header));
            assertThat(request.header(header)).as("%s of the CapturedRequest of %s", header, path)
                    .contains(received.get(header));
        }
        assertThat(received.get(RunTrace.TRACEPARENT)).contains(o.trace().traceId());
    }

    /** The traced page's load and its requests to its own origin carried the run's headers. */
    private static void assertOwnRequestsMarked(O o, BrowserNetwork network) {
        for (String path : OWN_REQUESTS) {
            assertMarked(o, network, site, path);
        }
    }

    private static void assertUnmarked(BrowserNetwork network, TestSite on, String path) {
        assertThat(on.received(path)).as("headers received by %s%s", on.origin(), path)
                .doesNotContainKeys(RunTrace.TRACEPARENT, RunTrace.TRACESTATE, RunTrace.BAGGAGE);
        assertThat(captured(network, on, path).headers()).as("headers captured of %s%s", on.origin(), path)
                .doesNotContainKeys(RunTrace.TRACEPARENT, RunTrace.TRACESTATE, RunTrace.BAGGAGE);
    }

    @Browser
    static class DefaultOriginsTestCase {

        @Perpetual(period = "1m", timeout = "30s")
        void firstPageOrigin(WebDriver driver, BrowserNetwork network, O o) {
            openTracedPage(driver, network);

            assertOwnRequestsMarked(o, network);
            assertThat(site.received("/api/fetch")).containsEntry("cookie", "session=probe");
            assertThat(site.received("/api/beacon")).containsEntry("content-type", "text/plain;charset=UTF-8");
            assertUnmarked(network, second, "/api/second");
            assertUnmarked(network, other, "/api/other");

            driver.get(other.url("/shop").toString());
            network.await(request -> request.url().toString().equals(other.url("/api/cart").toString()));
            assertUnmarked(network, other, "/shop");
            assertUnmarked(network, other, "/api/cart");
        }
    }

    @Browser
    static class ConfiguredOriginsTestCase {

        @Perpetual(period = "1m", timeout = "30s")
        void listedOrigins(WebDriver driver, BrowserNetwork network, O o) {
            openTracedPage(driver, network);

            assertOwnRequestsMarked(o, network);
            assertMarked(o, network, second, "/api/second");
            assertUnmarked(network, other, "/api/other");
        }
    }

    @Browser
    static class NoOriginTestCase {

        @Perpetual(period = "1m", timeout = "30s")
        void noOrigin(WebDriver driver, BrowserNetwork network) {
            openTracedPage(driver, network);

            for (String path : OWN_REQUESTS) {
                assertUnmarked(network, site, path);
            }
            assertUnmarked(network, second, "/api/second");
        }
    }
}

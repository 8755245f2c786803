package dev.perpetual.selenium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.perpetual.Constants;
import dev.perpetual.O;
import dev.perpetual.Perpetual;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.openqa.selenium.WebDriver;

/** The browser pool on a real Selenium Grid standalone (its own JVM, Debian's chromedriver and chromium). */
class GridTest {

    @RegisterExtension
    static final TestSite site = new TestSite();

    @RegisterExtension
    static final SeleniumGrid grid = new SeleniumGrid();

    private static Map<String, String> onGrid() {
        return Map.of(Constants.SELENIUM_REMOTE_URL, grid.url());
    }

    @Test
    @DisplayName("runs a page, its title and its captured request body on the Grid, through the Grid's BiDi proxy, "
            + "its requests marked with the run's trace headers through the Grid's DevTools proxy, with no browser on "
            + "this side; the session ends with the launcher session")
    void pageAndNetworkThroughGrid() {
        EngineExecutionResults results = BrowserProbeTest.execute(GridPageTestCase.class, onGrid());

        BrowserProbeTest.assertPassed(results, 1);
        assertThat(GridPageTestCase.gridBrowsersDuringRun).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> grid.browsers().isEmpty());
    }

    @Test
    @DisplayName("captures the real analytics.js beacon through the Grid, the page served on every interface and "
            + "opened at this host's address, as a Grid on another host would")
    void analyticsBeaconThroughGrid() {
        EngineExecutionResults results = BrowserProbeTest.execute(BrowserProbeTest.AnalyticsTestCase.class,
                Map.of(Constants.SELENIUM_REMOTE_URL, grid.url(), Constants.SELENIUM_PAGES_BIND_ADDRESS, "0.0.0.0"));

        BrowserProbeTest.assertPassed(results, 1);
    }

    @Test
    @DisplayName("a Grid browser killed mid-run fails that run as an error and is replaced by a new session for the "
            + "next run; the dead session's slot is freed")
    void killedGridBrowserIsReplaced() {
        EngineExecutionResults results = BrowserProbeTest.execute(GridKilledTestCase.class, onGrid());

        results.testEvents().assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(BrowserCrashedException.class)
                .hasMessageContaining("GridKilledTestCase.browserDiesMidRun crashed or stopped answering")
                .hasMessageContaining("on " + grid.url());
        assertThat(GridKilledTestCase.chromiumPids).hasSize(2).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(20)).until(() -> grid.browsers().isEmpty());
    }

    @Browser
    static class GridPageTestCase {

        static volatile int gridBrowsersDuringRun;

        @Perpetual(period = "1m", timeout = "30s")
        void shopPage(WebDriver driver, BrowserNetwork network, O o) {
            driver.get(site.url("/shop").toString());

            assertThat(driver.getTitle()).isEqualTo(TestSite.TITLE);
            CapturedRequest cart = network.await(request -> request.url().getPath().equals("/api/cart"));
            assertThat(cart.body()).isEqualTo("{\"item\":\"socks\",\"quantity\":2}");
            assertThat(cart.status()).isEqualTo(200);
            assertThat(site.received("/api/cart")).as("the run's trace headers, through the Grid's DevTools proxy")
                    .containsAllEntriesOf(o.trace().headers());
            assertThat(cart.headers()).containsAllEntriesOf(o.trace().headers());
            assertThat(KilledBrowserTest.Chromium.processesOfThisJvm()).as("local browser processes").isEmpty();
            gridBrowsersDuringRun = grid.browsers().size();
        }
    }

    /** The killed-browser runs of {@link KilledBrowserTest}, on the Grid. */
    static class GridKilledTestCase extends KilledBrowserTest.KilledBrowserTestCase {

        static final List<Long> chromiumPids = new CopyOnWriteArrayList<>();

        @Override
        ProcessHandle mainChromium() {
            List<ProcessHandle> browsers = grid.browsers();
            assertThat(browsers).as("the Grid's chromium processes").hasSize(1);
            return browsers.get(0);
        }

        @Override
        String shopPage() {
            return site.url("/shop").toString();
        }

        @Override
        List<Long> pids() {
            return chromiumPids;
        }
    }
}

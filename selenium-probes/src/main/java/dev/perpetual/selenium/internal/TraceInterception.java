package dev.perpetual.selenium.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.Connection;
import org.openqa.selenium.devtools.SeleniumCdpConnection;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Opens, for each tab of one browser, the interception that puts the run's trace headers on its requests: a
 * DevTools connection of its own to the browser (Selenium's, through the Grid's {@code se:cdp} proxy on a Grid),
 * attached to the tab, with the {@code Fetch} domain pausing the requests to the marked origins (or every request,
 * when the origin is the first page's).
 *
 * <p>Not {@code network.addIntercept}: chromedriver handles a session's WebDriver BiDi commands one at a time with
 * its classic ones, so the {@code network.continueRequest} of a request that {@code driver.get} or a click waits for
 * would wait for them in turn, forever. The tab's own DevTools session answers at once, whatever the driver does.
 */
final class TraceInterception {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final RemoteWebDriver driver;
    private final BrowserOrigins origins;
    private final UnmarkedWarning warning;
    private final String browser;

    TraceInterception(RemoteWebDriver driver, BrowserOrigins origins, UnmarkedWarning warning, String browser) {
        this.driver = driver;
        this.origins = origins;
        this.warning = warning;
        this.browser = browser;
    }

    /**
     * Intercepts the requests of tab {@code tab} that may need marking; empty when no origin is marked, or when the
     * browser offers no DevTools connection (then said once, as a warning naming the fix).
     */
    Optional<MarkedTab> start(String tab) {
        if (origins.none()) {
            return Optional.empty();
        }
        Connection connection;
        try {
            connection = SeleniumCdpConnection.create(driver).orElse(null);
        }
        catch (RuntimeException e) {
            warning.noInterception(browser, e.toString());
            return Optional.empty();
        }
        if (connection == null) {
            warning.noInterception(browser, "the session's capabilities name no DevTools endpoint (se:cdp, "
                    + "goog:chromeOptions.debuggerAddress)");
            return Optional.empty();
        }
        try {
            Map<String, Object> attached = connection.sendAndWait(null, new Command<Map<String, Object>>(
                    "Target.attachToTarget", Map.of("targetId", tab, "flatten", true), Json.MAP_TYPE),
                    COMMAND_TIMEOUT);
            MarkedTab marked = new MarkedTab(connection, (String) attached.get("sessionId"), tab, browser);
            // Every request, until a page names the origin, when it is the first page's.
            marked.enable(origins.firstPage() ? Set.of() : Set.copyOf(origins.listed()));
            return Optional.of(marked);
        }
        catch (RuntimeException e) {
            connection.close();
            warning.noInterception(browser, "attaching to tab " + tab + " failed: " + e.getMessage().lines()
                    .findFirst().orElse(""));
            return Optional.empty();
        }
    }
}

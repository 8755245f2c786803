package dev.perpetual.selenium.internal;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Optional;

import dev.perpetual.Constants;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.remote.http.ClientConfig;

/**
 * A Chrome session on a Selenium Grid. The Grid node owns the browser's binaries, profile and processes; this
 * side only holds the session, and reaches BiDi through the Grid's WebSocket proxy ({@code se:bidi}).
 */
final class GridSession implements BrowserHost {

    private final URI grid;
    private final RemoteWebDriver driver;

    private GridSession(URI grid, RemoteWebDriver driver) {
        this.grid = grid;
        this.driver = driver;
    }

    static GridSession start(URI grid) {
        try {
            return new GridSession(grid, new RemoteWebDriver(grid.toURL(), BrowserHost.headlessOptions(),
                    ClientConfig.defaultConfig().readTimeout(PooledBrowser.COMMAND_TIMEOUT)));
        }
        catch (MalformedURLException | RuntimeException e) {
            throw new WebDriverException(String.format("Could not start a Chrome session on the Selenium Grid at "
                    + "[%s] (configuration parameter '%s'). Check that the Grid is up (%s) and offers Chrome.",
                    grid, Constants.SELENIUM_REMOTE_URL, grid.resolve("/status")), e);
        }
    }

    /** The error for a Grid that gave the session no BiDi connection. */
    SessionNotCreatedException noBiDi() {
        return new SessionNotCreatedException(String.format("The Selenium Grid at [%s] (configuration parameter "
                + "'%s') started a Chrome session without a WebDriver BiDi connection (no 'webSocketUrl' in the "
                + "session's capabilities [%s]). @Browser needs BiDi for each run's isolated user context and for "
                + "BrowserNetwork: use Selenium Grid 4.x with BiDi enabled (the default; '--enable-bidi true') "
                + "and let WebSocket traffic through between this machine and the Grid.", grid,
                Constants.SELENIUM_REMOTE_URL, driver.getCapabilities().getCapability("webSocketUrl")));
    }

    @Override
    public RemoteWebDriver driver() {
        return driver;
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public Optional<ProcessHandle> chromium() {
        return Optional.empty();
    }

    @Override
    public void cleanUp() {
        // Nothing runs here: the Grid node ends the session's processes.
    }

    @Override
    public String toString() {
        return "[session " + driver.getSessionId() + " on " + grid + "]";
    }
}

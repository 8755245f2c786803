package dev.perpetual.selenium.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.openqa.selenium.WebDriver;

/**
 * One run's lease on a pooled browser: its own tab and user context, its recorder and its driver. Closing it
 * undoes the tab and gives the browser back, or replaces the browser if it died.
 */
final class BrowserRun implements AutoCloseable {

    private final BrowserPool pool;
    private final PooledBrowser browser;
    private final PooledBrowser.OpenedTab tab;
    private final RunIdentity identity;
    private final WebDriver driver;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean dead;

    BrowserRun(BrowserPool pool, PooledBrowser browser, PooledBrowser.OpenedTab tab, RunIdentity identity) {
        this.pool = pool;
        this.browser = browser;
        this.tab = tab;
        this.identity = identity;
        this.driver = PooledDriver.decorate(browser.driver(), identity);
    }

    WebDriver driver() {
        return driver;
    }

    RunRecorder recorder() {
        return tab.recorder();
    }

    /**
     * Marks {@code origin} too when the origins are the first page's (an {@code AnalyticsProbe} collector's), the
     * tab's interception following before this returns.
     */
    void alsoMark(Origin origin) {
        if (tab.marks().alsoMark(origin)) {
            interception().ifPresent(marked -> marked.widen(tab.marks().marked()));
        }
    }

    /** The interception that marks the run's requests, if any does. */
    java.util.Optional<MarkedTab> interception() {
        return tab.tab().marked();
    }

    RunIdentity identity() {
        return identity;
    }

    PooledBrowser browser() {
        return browser;
    }

    String tabId() {
        return tab.tab().id();
    }

    /**
     * Whether the browser still answers. The first time it does not, the browser is counted as restarted in
     * this run's meters; it is replaced when the run closes.
     */
    boolean alive() {
        if (!dead && !browser.responsive()) {
            dead = true;
            BrowserMeters.restarts(identity.metrics()).increment();
        }
        return !dead;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean healthy = alive();
        if (healthy) {
            try {
                browser.closeTab(tab);
            }
            catch (RuntimeException e) {
                healthy = false;
                BrowserMeters.restarts(identity.metrics()).increment();
            }
        }
        pool.release(browser, healthy);
    }
}

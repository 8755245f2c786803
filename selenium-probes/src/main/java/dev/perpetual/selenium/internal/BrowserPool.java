package dev.perpetual.selenium.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.Constants;
import dev.perpetual.spi.Durations;

/**
 * The browsers of one launcher session: at most {@code poolSize} of them, started on first use, each lent to one
 * run at a time and reused. Stored in the launcher-session store, so JUnit closes it when the session ends; a
 * shutdown hook quits the browsers if the JVM exits first.
 */
final class BrowserPool implements AutoCloseable {

    private final BrowserSettings settings;
    private final TempRoot root;
    private final Semaphore permits;
    private final Deque<PooledBrowser> idle = new ArrayDeque<>();
    private final Set<PooledBrowser> started = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::quitAll, "perpetual-browser-pool-shutdown");
    private final AtomicInteger numbers = new AtomicInteger();
    private final UnmarkedWarning unmarked = new UnmarkedWarning();
    private volatile boolean closed;

    private BrowserPool(BrowserSettings settings, TempRoot root) {
        this.settings = settings;
        this.root = root;
        this.permits = new Semaphore(settings.poolSize(), true);
    }

    /**
     * Checks the binaries and sweeps browsers orphaned by JVMs that died; starts nothing yet. With a Selenium Grid,
     * neither: the Grid node owns the binaries and the processes.
     */
    static BrowserPool create(BrowserSettings settings, TempRoot root) {
        if (!settings.remote()) {
            settings.requireBinaries();
            root.sweepOrphans();
        }
        BrowserPool pool = new BrowserPool(settings, root);
        Runtime.getRuntime().addShutdownHook(pool.shutdownHook);
        return pool;
    }

    BrowserSettings settings() {
        return settings;
    }

    /** A fresh tab in a free browser, waiting at most {@code wait} for one; replaces a browser found dead. */
    BrowserRun open(RunIdentity identity, Duration wait) {
        BrowserMeters.restarts(identity.metrics());
        acquirePermit(wait);
        PooledBrowser browser = null;
        try {
            browser = takeLiveOrStart(identity);
            PooledBrowser.OpenedTab tab = browser.openTab(bodies -> new RunRecorder(bodies, identity.remaining()),
                    new RunMarks(identity.trace(), settings.browserOrigins()));
            return new BrowserRun(this, browser, tab, identity);
        }
        catch (RuntimeException | Error e) {
            if (browser != null) {
                discard(browser);
            }
            permits.release();
            throw e;
        }
    }

    private void acquirePermit(Duration wait) {
        if (closed) {
            throw new IllegalStateException("The browser pool is closed: its launcher session has ended");
        }
        try {
            if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(String.format("All %d browsers of the pool stayed busy for %s. Raise "
                        + "'%s' (each browser takes about 0.45 GiB) or give the test a longer timeout.",
                        settings.poolSize(), Durations.format(wait), Constants.SELENIUM_POOL_SIZE));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a browser", e);
        }
    }

    private PooledBrowser takeLiveOrStart(RunIdentity identity) {
        PooledBrowser browser;
        synchronized (idle) {
            browser = idle.pollFirst();
        }
        if (browser != null && !browser.responsive()) {
            BrowserMeters.restarts(identity.metrics()).increment();
            discard(browser);
            browser = null;
        }
        if (browser == null) {
            BrowserHost host = settings.remoteUrl().<BrowserHost>map(GridSession::start)
                    .orElseGet(() -> LocalChrome.start(settings, root.newBrowserDirectory()));
            browser = PooledBrowser.start(host, numbers.incrementAndGet(), settings.browserOrigins(), unmarked);
            started.add(browser);
        }
        return browser;
    }

    /** Takes a browser back after a run; a dead one is quit and its processes killed. */
    void release(PooledBrowser browser, boolean healthy) {
        try {
            if (healthy && !closed) {
                synchronized (idle) {
                    idle.addFirst(browser);
                }
            }
            else {
                discard(browser);
            }
        }
        finally {
            permits.release();
        }
    }

    private void discard(PooledBrowser browser) {
        started.remove(browser);
        browser.quit();
    }

    /** The browsers running now, for tests and benchmarks. */
    List<PooledBrowser> browsers() {
        return List.copyOf(started);
    }

    TempRoot root() {
        return root;
    }

    @Override
    public void close() {
        closed = true;
        quitAll();
        TempRoot.deleteQuietly(root.mine());
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or ran.
        }
    }

    private void quitAll() {
        closed = true;
        for (PooledBrowser browser : List.copyOf(started)) {
            discard(browser);
        }
        synchronized (idle) {
            idle.clear();
        }
    }
}

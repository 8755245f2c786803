package dev.perpetual.selenium.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.WindowType;
import org.openqa.selenium.bidi.BiDi;
import org.openqa.selenium.bidi.Command;
import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;
import org.openqa.selenium.bidi.browsingcontext.CreateContextParameters;
import org.openqa.selenium.bidi.module.LogInspector;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.BaseParameters;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * One browser, started once (on this machine or on a Grid) and lent to one run at a time. Each run gets a new
 * BiDi user context (its own cookies, storage and cache) in a new tab; BiDi events are routed to the run's
 * recorder, and the tab's {@link MarkedTab} puts the run's trace headers on its requests to the marked origins.
 *
 * <p>The browser works ahead: while it is idle between runs, a background thread ends the last run's tab and user
 * context and prepares the next run's (user context, tab, data collector, the tab's interception, the driver
 * switched to the tab), so a run starts with one health check instead of eight round trips.
 */
final class PooledBrowser {

    /** Selenium warns on every start that it has no CDP jar for this Chromium; the probes use BiDi instead. */
    private static final Logger CDP_LOGGER = Logger.getLogger("org.openqa.selenium.devtools");
    private static final Logger LOGGER = Logger.getLogger(PooledBrowser.class.getName());
    private static final Duration HEALTH_CHECK = Duration.ofSeconds(5);
    private static final Duration QUIT_WAIT = Duration.ofSeconds(10);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Function<Object, Object> RAW = result -> result;

    static {
        CDP_LOGGER.setLevel(Level.SEVERE);
    }

    private final int number;
    private final BrowserHost host;
    private final RemoteWebDriver driver;
    private final BiDi bidi;
    private final String homeWindow;
    private final ExecutorService background;
    private final TraceInterception interception;
    private volatile CompletableFuture<Tab> next;
    private volatile Tab lent;
    private volatile RunRecorder recorder;
    private volatile boolean dead;

    private PooledBrowser(int number, BrowserHost host, BrowserOrigins origins, UnmarkedWarning warning) {
        this.number = number;
        this.host = host;
        this.driver = host.driver();
        this.bidi = driver.maybeGetBiDi()
                .orElseThrow(() -> host instanceof GridSession grid ? grid.noBiDi() : new IllegalStateException(
                        "chromedriver did not open a WebDriver BiDi connection; use Chromium 115 or newer"));
        this.homeWindow = driver.getWindowHandle();
        Network network = new Network(driver);
        this.interception = new TraceInterception(driver, origins, warning, toString());
        network.onBeforeRequestSent(event -> route(event, recorder -> recorder.requestSent(event)));
        network.onResponseCompleted(event -> route(event, recorder -> recorder.responseCompleted(event)));
        network.onFetchError(event -> route(event, recorder -> recorder.fetchFailed(event)));
        LogInspector logs = new LogInspector(driver);
        logs.onConsoleEntry(entry -> withRecorder(recorder -> recorder.console(entry)));
        logs.onJavaScriptException(entry -> withRecorder(recorder -> recorder.javascriptError(entry)));
        this.background = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "perpetual-browser-" + number);
            thread.setDaemon(true);
            return thread;
        });
        this.next = CompletableFuture.supplyAsync(this::newTab, background);
    }

    /**
     * Starts a browser on {@code host}, quitting it if BiDi is missing; its runs' requests to {@code origins} carry
     * their trace headers.
     */
    static PooledBrowser start(BrowserHost host, int number, BrowserOrigins origins, UnmarkedWarning warning) {
        try {
            return new PooledBrowser(number, host, origins, warning);
        }
        catch (RuntimeException e) {
            quit(host);
            throw e;
        }
    }

    /** The main Chromium process; only for a browser on this machine. */
    ProcessHandle chromium() {
        return host.chromium().orElseThrow(() -> new IllegalStateException(this + " does not run on this machine"));
    }

    RemoteWebDriver driver() {
        return driver;
    }

    /**
     * The next run's tab, prepared ahead (or now, if preparing it failed); its recorder gets its events, and its
     * requests carry the trace headers {@code marks} gives them.
     */
    OpenedTab openTab(Function<Function<String, String>, RunRecorder> newRecorder, RunMarks marks) {
        Tab tab = takeNextTab();
        RunRecorder run = newRecorder.apply(requestId -> requestBody(tab.collector(), requestId));
        this.recorder = run;
        this.lent = tab;
        tab.marked().ifPresent(marked -> marked.lend(marks));
        return new OpenedTab(tab, run, marks);
    }

    private Tab takeNextTab() {
        CompletableFuture<Tab> prepared = next;
        next = null;
        if (prepared == null) {
            return newTab();
        }
        try {
            return prepared.join();
        }
        catch (RuntimeException e) {
            LOGGER.log(Level.FINE, e, () -> this + ": preparing a tab ahead failed; preparing one now");
            return newTab();
        }
    }

    /**
     * Ends a run's tab in the background: its user context goes, and with it the run's cookies, storage and
     * cache; then the next run's tab is prepared.
     */
    void closeTab(OpenedTab opened) {
        recorder = null;
        lent = null;
        opened.tab().marked().ifPresent(MarkedTab::giveBack);
        next = CompletableFuture.supplyAsync(() -> {
            dispose(opened.tab());
            return newTab();
        }, background);
    }

    private Tab newTab() {
        String userContext = new org.openqa.selenium.bidi.module.Browser(driver).createUserContext();
        String tab = new BrowsingContext(driver, new CreateContextParameters(WindowType.TAB).userContext(userContext))
                .getId();
        Map<?, ?> added = (Map<?, ?>) bidi.send(new Command<>("network.addDataCollector", Map.of(
                "dataTypes", List.of("request"), "maxEncodedDataSize", MAX_BODY_BYTES,
                "userContexts", List.of(userContext)), RAW));
        Optional<MarkedTab> marked = interception.start(tab);
        try {
            // WebDriver classic commands (driver.get, getTitle…) act on the driver's current window.
            driver.switchTo().window(tab);
        }
        catch (RuntimeException e) {
            marked.ifPresent(MarkedTab::close);
            throw e;
        }
        return new Tab(userContext, tab, (String) added.get("collector"), marked);
    }

    private void dispose(Tab tab) {
        tab.marked().ifPresent(MarkedTab::close);
        bidi.send(new Command<>("network.removeDataCollector", Map.of("collector", tab.collector())));
        bidi.send(new Command<>("browsingContext.close", Map.of("context", tab.id())));
        new org.openqa.selenium.bidi.module.Browser(driver).removeUserContext(tab.userContext());
    }

    private String requestBody(String collector, String requestId) {
        Map<?, ?> data = (Map<?, ?>) bidi.send(new Command<>("network.getData", Map.of("dataType", "request",
                "collector", collector, "request", requestId), RAW));
        Map<?, ?> bytes = (Map<?, ?>) data.get("bytes");
        return RecordedRequest.text(String.valueOf(bytes.get("type")), String.valueOf(bytes.get("value")));
    }

    private void route(BaseParameters event, Consumer<RunRecorder> action) {
        if (!homeWindow.equals(event.getBrowsingContextId())) {
            withRecorder(action);
        }
    }

    private void withRecorder(Consumer<RunRecorder> action) {
        RunRecorder current = recorder;
        if (current != null) {
            action.accept(current);
        }
    }

    /** Whether the browser still answers, within a few seconds. Once dead, always dead. */
    boolean responsive() {
        if (dead) {
            return false;
        }
        try {
            dead = !host.running();
            if (!dead) {
                // Answered by Chromium itself (session.status is answered by chromedriver or the Grid alone).
                bidi.send(new Command<>("browsingContext.getTree", Map.of("maxDepth", 0), RAW), HEALTH_CHECK);
            }
        }
        catch (RuntimeException e) {
            dead = true;
        }
        return !dead;
    }

    /** Quits the browser, then cleans up whatever is left of it on this machine. */
    void quit() {
        background.shutdownNow();
        endInterceptions();
        // A Grid session is quit even when its browser died: that frees its slot on the Grid.
        if (!dead || host.chromium().isEmpty()) {
            quit(host);
        }
        else {
            host.cleanUp();
        }
        dead = true;
    }

    /** Closes the DevTools connections of the lent tab and of the one prepared ahead, if any. */
    private void endInterceptions() {
        Tab tab = lent;
        if (tab != null) {
            tab.marked().ifPresent(MarkedTab::close);
        }
        CompletableFuture<Tab> prepared = next;
        if (prepared != null) {
            prepared.thenAccept(ahead -> ahead.marked().ifPresent(MarkedTab::close));
        }
    }

    private static void quit(BrowserHost host) {
        CompletableFuture<Void> quitting = CompletableFuture.runAsync(() -> host.driver().quit());
        try {
            quitting.get(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception e) {
            // Hung or already gone: cleaned up below.
        }
        host.cleanUp();
    }

    @Override
    public String toString() {
        return "browser " + number + " " + host;
    }

    /**
     * One run's browsing context: its user context, its tab, the data collector that keeps its bodies and the
     * interception that marks its requests, if any does.
     */
    record Tab(String userContext, String id, String collector, Optional<MarkedTab> marked) {
    }

    /** The tab of one run, what it recorded and which of its requests carry the run's trace headers. */
    record OpenedTab(Tab tab, RunRecorder recorder, RunMarks marks) {
    }
}

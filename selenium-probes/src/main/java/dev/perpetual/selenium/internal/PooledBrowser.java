package dev.perpetual.selenium.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.bidi.BiDi;
import org.openqa.selenium.bidi.Command;
import org.openqa.selenium.bidi.HasBiDi;
import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;
import org.openqa.selenium.bidi.browsingcontext.CreateContextParameters;
import org.openqa.selenium.bidi.module.LogInspector;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.BaseParameters;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.http.ClientConfig;

/**
 * One chromedriver and its headless Chromium, started once and lent to one run at a time. Each run gets a new
 * BiDi user context (its own cookies and storage) in a new tab; BiDi events are routed to the run's recorder.
 */
final class PooledBrowser {

    /** Selenium warns on every start that it has no CDP jar for this Chromium; the probes use BiDi instead. */
    private static final Logger CDP_LOGGER = Logger.getLogger("org.openqa.selenium.devtools");
    private static final Duration HEALTH_CHECK = Duration.ofSeconds(5);
    private static final Duration QUIT_WAIT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    static {
        CDP_LOGGER.setLevel(Level.SEVERE);
    }

    private final int number;
    private final Path directory;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final BiDi bidi;
    private final String homeWindow;
    private final ProcessHandle chromium;
    private volatile RunRecorder recorder;
    private volatile boolean dead;

    private PooledBrowser(int number, Path directory, ChromeDriverService service, ChromeDriver driver) {
        this.number = number;
        this.directory = directory;
        this.service = service;
        this.driver = driver;
        this.bidi = ((HasBiDi) driver).maybeGetBiDi().orElseThrow(() -> new IllegalStateException(
                "chromedriver did not open a WebDriver BiDi connection; use Chromium 115 or newer"));
        this.homeWindow = driver.getWindowHandle();
        this.chromium = BrowserProcesses.browserMain(directory).stream().findFirst().orElseThrow(
                () -> new IllegalStateException("Chromium started, but no process names its profile " + directory));
        Network network = new Network(driver);
        network.onBeforeRequestSent(event -> route(event, recorder -> recorder.requestSent(event)));
        network.onResponseCompleted(event -> route(event, recorder -> recorder.responseCompleted(event)));
        network.onFetchError(event -> route(event, recorder -> recorder.fetchFailed(event)));
        LogInspector logs = new LogInspector(driver);
        logs.onConsoleEntry(entry -> withRecorder(recorder -> recorder.console(entry)));
        logs.onJavaScriptException(entry -> withRecorder(recorder -> recorder.javascriptError(entry)));
    }

    /** Starts chromedriver and Chromium with a profile in {@code directory}. */
    static PooledBrowser start(BrowserSettings settings, Path directory, int number) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(settings.driverBinary().toFile())
                .withLogFile(directory.resolve("chromedriver.log").toFile())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options(settings, directory),
                    ClientConfig.defaultConfig().readTimeout(COMMAND_TIMEOUT));
            return new PooledBrowser(number, directory, service, driver);
        }
        catch (RuntimeException e) {
            service.stop();
            BrowserProcesses.kill(directory);
            throw new WebDriverException(String.format("Could not start Chromium [%s] with chromedriver [%s]; "
                    + "see [%s]. Check that both come from the same release (%s), or set '%s' and '%s'.",
                    settings.chromeBinary(), settings.driverBinary(), directory.resolve("chromedriver.log"),
                    BrowserSettings.INSTALL_HINT, dev.perpetual.Constants.SELENIUM_CHROME_BINARY,
                    dev.perpetual.Constants.SELENIUM_DRIVER_BINARY), e);
        }
    }

    private static ChromeOptions options(BrowserSettings settings, Path directory) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(settings.chromeBinary().toFile());
        options.addArguments("--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio",
                "--window-size=1280,800", "--user-data-dir=" + directory.resolve("profile").toAbsolutePath());
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox");
        }
        options.setCapability("webSocketUrl", true);
        return options;
    }

    /** The main Chromium process. */
    ProcessHandle chromium() {
        return chromium;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** A fresh, isolated tab for one run: a new user context, its own data collector, the driver switched to it. */
    OpenedTab openTab(Function<Function<String, String>, RunRecorder> newRecorder) {
        String userContext = new org.openqa.selenium.bidi.module.Browser(driver).createUserContext();
        BrowsingContext tab = new BrowsingContext(driver,
                new CreateContextParameters(WindowType.TAB).userContext(userContext));
        Map<?, ?> added = (Map<?, ?>) bidi.send(new Command<>("network.addDataCollector", Map.of(
                "dataTypes", List.of("request"), "maxEncodedDataSize", MAX_BODY_BYTES,
                "userContexts", List.of(userContext)), (Function<Object, Object>) result -> result));
        String collector = (String) added.get("collector");
        RunRecorder run = newRecorder.apply(requestId -> requestBody(collector, requestId));
        this.recorder = run;
        driver.switchTo().window(tab.getId());
        return new OpenedTab(userContext, tab, collector, run);
    }

    /** Ends a run's tab: its user context goes, and with it the run's cookies and storage. */
    void closeTab(OpenedTab opened) {
        recorder = null;
        bidi.send(new Command<>("network.removeDataCollector", Map.of("collector", opened.collector())));
        opened.tab().close();
        new org.openqa.selenium.bidi.module.Browser(driver).removeUserContext(opened.userContext());
        driver.switchTo().window(homeWindow);
    }

    private String requestBody(String collector, String requestId) {
        Map<?, ?> data = (Map<?, ?>) bidi.send(new Command<>("network.getData", Map.of("dataType", "request",
                "collector", collector, "request", requestId), (Function<Object, Object>) result -> result));
        Map<?, ?> bytes = (Map<?, ?>) data.get("bytes");
        return RecordedRequest.text(String.valueOf(bytes.get("type")), String.valueOf(bytes.get("value")));
    }

    private void route(BaseParameters event, java.util.function.Consumer<RunRecorder> action) {
        if (!homeWindow.equals(event.getBrowsingContextId())) {
            withRecorder(action);
        }
    }

    private void withRecorder(java.util.function.Consumer<RunRecorder> action) {
        RunRecorder current = recorder;
        if (current != null) {
            action.accept(current);
        }
    }

    /** Whether Chromium and chromedriver still answer, within a few seconds. Once dead, always dead. */
    boolean responsive() {
        if (dead) {
            return false;
        }
        try {
            dead = !service.isRunning() || !chromium.isAlive();
            if (!dead) {
                // Answered by Chromium itself (session.status is answered by chromedriver alone).
                bidi.send(new Command<>("browsingContext.getTree", Map.of("maxDepth", 0),
                        (Function<Object, Object>) result -> result), HEALTH_CHECK);
            }
        }
        catch (RuntimeException e) {
            dead = true;
        }
        return !dead;
    }

    /** Quits the browser, then kills whatever is left of its processes and deletes its profile. */
    void quit() {
        if (!dead) {
            CompletableFuture<Void> quitting = CompletableFuture.runAsync(driver::quit);
            try {
                quitting.get(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (Exception e) {
                // Hung or already gone: killed below.
            }
        }
        dead = true;
        BrowserProcesses.kill(directory);
        service.stop();
        TempRoot.deleteQuietly(directory);
    }

    @Override
    public String toString() {
        return "browser " + number + " [" + directory + "]";
    }

    /** The parts of one run's tab that its end must undo. */
    record OpenedTab(String userContext, BrowsingContext tab, String collector, RunRecorder recorder) {
    }
}

package dev.perpetual.selenium.internal;

import java.nio.file.Path;
import java.util.Optional;

import dev.perpetual.Constants;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.remote.http.ClientConfig;

/** A chromedriver and its headless Chromium on this machine, with a profile in the browser's own directory. */
final class LocalChrome implements BrowserHost {

    private final Path directory;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final ProcessHandle chromium;

    private LocalChrome(Path directory, ChromeDriverService service, ChromeDriver driver, ProcessHandle chromium) {
        this.directory = directory;
        this.service = service;
        this.driver = driver;
        this.chromium = chromium;
    }

    static LocalChrome start(BrowserSettings settings, Path directory) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(settings.driverBinary().toFile())
                .withLogFile(directory.resolve("chromedriver.log").toFile())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options(settings, directory),
                    ClientConfig.defaultConfig().readTimeout(PooledBrowser.COMMAND_TIMEOUT));
            ProcessHandle chromium = BrowserProcesses.browserMain(directory).stream().findFirst().orElseThrow(
                    () -> new IllegalStateException("Chromium started, but no process names its profile "
                            + directory));
            return new LocalChrome(directory, service, driver, chromium);
        }
        catch (RuntimeException e) {
            service.stop();
            BrowserProcesses.kill(directory);
            throw new WebDriverException(String.format("Could not start Chromium [%s] with chromedriver [%s]; "
                    + "see [%s]. Check that both come from the same release (%s), or set '%s' and '%s'.",
                    settings.chromeBinary(), settings.driverBinary(), directory.resolve("chromedriver.log"),
                    BrowserSettings.INSTALL_HINT, Constants.SELENIUM_CHROME_BINARY,
                    Constants.SELENIUM_DRIVER_BINARY), e);
        }
    }

    private static ChromeOptions options(BrowserSettings settings, Path directory) {
        ChromeOptions options = BrowserHost.headlessOptions();
        options.setBinary(settings.chromeBinary().toFile());
        options.addArguments("--user-data-dir=" + directory.resolve("profile").toAbsolutePath());
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox");
        }
        return options;
    }

    @Override
    public RemoteWebDriver driver() {
        return driver;
    }

    @Override
    public boolean running() {
        return service.isRunning() && chromium.isAlive();
    }

    @Override
    public Optional<ProcessHandle> chromium() {
        return Optional.of(chromium);
    }

    @Override
    public void cleanUp() {
        BrowserProcesses.kill(directory);
        service.stop();
        TempRoot.deleteQuietly(directory);
    }

    @Override
    public String toString() {
        return "[" + directory + "]";
    }
}

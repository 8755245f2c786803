package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through Debian's chromedriver, named explicitly: no Selenium Manager, no download. The
 * caller quits the driver.
 */
final class Chrome {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chrome() {
    }

    static ChromeDriver start(Path userDataDir, int width, int height) {
        assertThat(BINARY).as("Chromium, from Debian's chromium package (.ci/run installs it)").isExecutable();
        assertThat(DRIVER).as("chromedriver, from Debian's chromium-driver package (.ci/run installs it)")
                .isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--window-size=" + width + "," + height, "--user-data-dir=" + userDataDir.toAbsolutePath());
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return driver;
    }

    static Path screenshot(ChromeDriver driver, Path target) throws Exception {
        Files.createDirectories(target.toAbsolutePath().getParent());
        byte[] png = driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        return Files.write(target, png);
    }
}

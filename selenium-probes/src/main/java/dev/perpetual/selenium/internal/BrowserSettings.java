package dev.perpetual.selenium.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The browser configuration, read once per launcher session from JUnit configuration parameters.
 *
 * @param chromeBinary {@value Constants#SELENIUM_CHROME_BINARY}
 * @param driverBinary {@value Constants#SELENIUM_DRIVER_BINARY}
 * @param poolSize {@value Constants#SELENIUM_POOL_SIZE}
 * @param artifactsDir {@value Constants#ARTIFACTS_DIR}
 * @param artifactsKeep {@value Constants#ARTIFACTS_KEEP}
 * @param remoteUrl {@value Constants#SELENIUM_REMOTE_URL}: a Selenium Grid to run the browsers on, instead of
 *         local ones (the binaries are then the Grid node's business)
 * @param browserOrigins {@value Constants#TENANCY_BROWSER_ORIGINS}: the origins whose requests carry each run's trace
 *         headers
 */
record BrowserSettings(Path chromeBinary, Path driverBinary, int poolSize, Path artifactsDir, int artifactsKeep,
        Optional<URI> remoteUrl, BrowserOrigins browserOrigins) {

    static final String CHROME_BINARY_DEFAULT = "/usr/bin/chromium";
    static final String DRIVER_BINARY_DEFAULT = "/usr/bin/chromedriver";
    static final int POOL_SIZE_DEFAULT = 1;
    static final String ARTIFACTS_DIR_DEFAULT = "target/perpetual-artifacts";
    static final int ARTIFACTS_KEEP_DEFAULT = 20;
    static final String INSTALL_HINT = "apt-get install -y chromium chromium-driver";

    static BrowserSettings from(Function<String, Optional<String>> config) {
        return new BrowserSettings(
                Path.of(config.apply(Constants.SELENIUM_CHROME_BINARY).orElse(CHROME_BINARY_DEFAULT).strip()),
                Path.of(config.apply(Constants.SELENIUM_DRIVER_BINARY).orElse(DRIVER_BINARY_DEFAULT).strip()),
                count(config, Constants.SELENIUM_POOL_SIZE, POOL_SIZE_DEFAULT, 1),
                Path.of(config.apply(Constants.ARTIFACTS_DIR).orElse(ARTIFACTS_DIR_DEFAULT).strip()),
                count(config, Constants.ARTIFACTS_KEEP, ARTIFACTS_KEEP_DEFAULT, 0),
                config.apply(Constants.SELENIUM_REMOTE_URL).map(String::strip).filter(value -> !value.isEmpty())
                        .map(BrowserSettings::gridUrl),
                BrowserOrigins.from(config));
    }

    /**
     * Checks each key on its own with the parsers of {@link #from}, so that every bad one is reported. The binaries
     * are not required here: a daemon may select no browser test, and a Grid needs none.
     */
    static void check(Function<String, Optional<String>> config, java.util.function.Consumer<String> problems) {
        dev.perpetual.spi.ConfigurationCheck.parsing(problems,
                () -> count(config, Constants.SELENIUM_POOL_SIZE, POOL_SIZE_DEFAULT, 1));
        dev.perpetual.spi.ConfigurationCheck.parsing(problems,
                () -> count(config, Constants.ARTIFACTS_KEEP, ARTIFACTS_KEEP_DEFAULT, 0));
        dev.perpetual.spi.ConfigurationCheck.parsing(problems, () -> config.apply(Constants.SELENIUM_REMOTE_URL)
                .map(String::strip).filter(value -> !value.isEmpty()).map(BrowserSettings::gridUrl));
        BrowserOrigins.check(config, problems);
    }

    /** Whether the browsers run on a Selenium Grid rather than on this machine. */
    boolean remote() {
        return remoteUrl.isPresent();
    }

    private static URI gridUrl(String value) {
        try {
            URI url = new URI(value);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        throw new ExtensionConfigurationException(String.format("Configuration parameter '%s' has an invalid value "
                + "[%s]: use the http(s) URL of a Selenium Grid, such as http://grid.internal:4444.",
                Constants.SELENIUM_REMOTE_URL, value));
    }

    /** Fails naming the key, the path and the fix when a binary is missing, before any browser is started. */
    void requireBinaries() {
        requireExecutable(Constants.SELENIUM_CHROME_BINARY, chromeBinary, "Chrome or Chromium");
        requireExecutable(Constants.SELENIUM_DRIVER_BINARY, driverBinary, "chromedriver");
    }

    private static void requireExecutable(String key, Path binary, String what) {
        if (!Files.isExecutable(binary)) {
            throw new ExtensionConfigurationException(String.format("No %s executable at [%s] (configuration "
                    + "parameter '%s'). Install it with '%s', or set '%s' to its path.", what, binary, key,
                    INSTALL_HINT, key));
        }
    }

    private static int count(Function<String, Optional<String>> config, String key, int defaultValue, int min) {
        return config.apply(key).map(value -> {
            try {
                int parsed = Integer.parseInt(value.strip());
                if (parsed >= min) {
                    return parsed;
                }
            }
            catch (NumberFormatException e) {
                // reported below
            }
            throw new ExtensionConfigurationException(String.format("Configuration parameter '%s' has an invalid "
                    + "value [%s]: use a whole number, %d or more (default %d).", key, value, min, defaultValue));
        }).orElse(defaultValue);
    }
}

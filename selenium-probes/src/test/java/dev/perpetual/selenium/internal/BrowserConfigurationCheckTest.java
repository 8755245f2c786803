package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.perpetual.spi.ConfigurationCheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrowserConfigurationCheckTest {

    @Test
    @DisplayName("the daemon's one pass finds the browser keys' check beside the extension's, and reports every bad key")
    void everyBadBrowserKeyIsReportedThroughTheServiceLoader() {
        assertThat(ConfigurationCheck.all(getClass().getClassLoader(), Map.of(
                "perpetual.selenium.pool.size", "0",
                "perpetual.artifacts.keep", "many",
                "perpetual.selenium.remote-url", "grid:4444",
                "perpetual.selenium.pages.port", "99999",
                "perpetual.tenancy.browser-origins", "https://shop.example.com/checkout",
                "perpetual.log.max-lines", "-1"))).containsExactlyInAnyOrder(
                        "Configuration parameter 'perpetual.log.max-lines' has an invalid value [-1]: use a whole "
                                + "number of lines, 0 or more (default 1000).",
                        "Configuration parameter 'perpetual.selenium.pool.size' has an invalid value [0]: use a whole "
                                + "number, 1 or more (default 1).",
                        "Configuration parameter 'perpetual.artifacts.keep' has an invalid value [many]: use a whole "
                                + "number, 0 or more (default 20).",
                        "Configuration parameter 'perpetual.selenium.remote-url' has an invalid value [grid:4444]: use "
                                + "the http(s) URL of a Selenium Grid, such as http://grid.internal:4444.",
                        "Configuration parameter 'perpetual.selenium.pages.port' has an invalid value [99999]: use a "
                                + "port number from 0 to 65535 (0: any free port).",
                        "Configuration parameter 'perpetual.tenancy.browser-origins' has an invalid value "
                                + "[https://shop.example.com/checkout]: [https://shop.example.com/checkout] is not an "
                                + "origin. Use comma-separated origins scheme://host[:port] (http or https, no path), "
                                + "such as https://shop.example.com,https://api.segment.io; leave the key unset for "
                                + "the origin of the first page each run opens, or set it to 'none' to mark no "
                                + "browser request.");
    }

    @Test
    @DisplayName("good values and unset keys are no problem")
    void goodValuesAreNoProblem() {
        assertThat(ConfigurationCheck.all(getClass().getClassLoader(), Map.of("perpetual.selenium.pool.size", "2",
                "perpetual.selenium.pages.bind-address", "0.0.0.0",
                "perpetual.tenancy.browser-origins", "https://shop.example.com, http://127.0.0.1:8080"))).isEmpty();
    }
}

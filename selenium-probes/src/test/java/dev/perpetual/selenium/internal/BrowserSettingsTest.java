package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class BrowserSettingsTest {

    private static BrowserSettings settings(Map<String, String> config) {
        return BrowserSettings.from(key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    @DisplayName("defaults to Debian's chromium and chromedriver, one browser, 20 kept runs")
    void defaults() {
        assertThat(settings(Map.of())).isEqualTo(new BrowserSettings(Path.of("/usr/bin/chromium"),
                Path.of("/usr/bin/chromedriver"), 1, Path.of("target/perpetual-artifacts"), 20, Optional.empty(),
                BrowserOrigins.FIRST_PAGE));
    }

    @Test
    @DisplayName("a missing browser binary names the key, the path and the apt-get command")
    void missingBinaryNamesKeyAndFix() {
        BrowserSettings settings = settings(Map.of("perpetual.selenium.chrome.binary", "/nowhere/chromium"));

        assertThatThrownBy(settings::requireBinaries).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("No Chrome or Chromium executable at [/nowhere/chromium] (configuration parameter "
                        + "'perpetual.selenium.chrome.binary'). Install it with 'apt-get install -y chromium "
                        + "chromium-driver', or set 'perpetual.selenium.chrome.binary' to its path.");
    }

    @Test
    @DisplayName("a pool size below one names the key, the value and the accepted range")
    void invalidPoolSize() {
        assertThatThrownBy(() -> settings(Map.of("perpetual.selenium.pool.size", "0")))
                .hasMessage("Configuration parameter 'perpetual.selenium.pool.size' has an invalid value [0]: use a "
                        + "whole number, 1 or more (default 1).");
    }

    @Test
    @DisplayName("perpetual.selenium.remote-url selects a Selenium Grid")
    void remoteUrl() {
        BrowserSettings settings = settings(Map.of("perpetual.selenium.remote-url", " http://grid.internal:4444 "));

        assertThat(settings.remote()).isTrue();
        assertThat(settings.remoteUrl()).contains(URI.create("http://grid.internal:4444"));
        assertThat(settings(Map.of()).remote()).isFalse();
    }

    @Test
    @DisplayName("a remote-url that is not an http(s) URL names the key, the value and the expected form")
    void invalidRemoteUrl() {
        assertThatThrownBy(() -> settings(Map.of("perpetual.selenium.remote-url", "grid.internal:4444")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Configuration parameter 'perpetual.selenium.remote-url' has an invalid value "
                        + "[grid.internal:4444]: use the http(s) URL of a Selenium Grid, such as "
                        + "http://grid.internal:4444.");
    }
}

package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                Path.of("/usr/bin/chromedriver"), 1, Path.of("target/perpetual-artifacts"), 20));
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
}

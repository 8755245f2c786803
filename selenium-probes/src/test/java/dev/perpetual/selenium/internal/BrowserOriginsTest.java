package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class BrowserOriginsTest {

    private static BrowserOrigins origins(String value) {
        return BrowserOrigins.from(key -> Optional.ofNullable(Map.of("perpetual.tenancy.browser-origins", value)
                .get(key)));
    }

    @Test
    @DisplayName("unset or blank, each run marks the origin of its first page")
    void unsetMeansTheFirstPage() {
        assertThat(BrowserOrigins.from(key -> Optional.empty())).isEqualTo(BrowserOrigins.FIRST_PAGE);
        assertThat(origins("  ")).isEqualTo(BrowserOrigins.FIRST_PAGE);
        assertThat(BrowserOrigins.FIRST_PAGE.none()).isFalse();
    }

    @Test
    @DisplayName("'none' marks no request")
    void noneMarksNothing() {
        assertThat(origins("none").none()).isTrue();
        assertThat(origins("NONE").listed()).isEmpty();
    }

    @Test
    @DisplayName("origins are read as the browser compares them: lower case, default ports left out, a bare slash "
            + "allowed, repeats dropped")
    void originsAreNormalised() {
        assertThat(origins(" https://Shop.Example.com:443/ ,http://127.0.0.1:8080,https://shop.example.com")
                .listed()).map(Origin::toString).containsExactly("https://shop.example.com", "http://127.0.0.1:8080");
        assertThat(Origin.of("https://shop.example.com/cart?x=1")).contains(new Origin("https", "shop.example.com",
                443));
        assertThat(Origin.of("data:text/html,<p>")).isEmpty();
    }

    @Test
    @DisplayName("an entry that is no origin names the key, the value, the entry and the fix")
    void badEntryNamesKeyValueAndFix() {
        for (String bad : List.of("https://shop.example.com/cart", "shop.example.com", "ftp://files.example.com",
                "https://user@shop.example.com", "https://shop.example.com?x=1")) {
            String value = "http://127.0.0.1:8080," + bad;
            assertThatThrownBy(() -> origins(value)).isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage("Configuration parameter 'perpetual.tenancy.browser-origins' has an invalid value ["
                            + value + "]: [" + bad + "] is not an origin. Use comma-separated origins "
                            + "scheme://host[:port] (http or https, no path), such as https://shop.example.com,"
                            + "https://api.segment.io; leave the key unset for the origin of the first page each run "
                            + "opens, or set it to 'none' to mark no browser request.");
        }
    }
}

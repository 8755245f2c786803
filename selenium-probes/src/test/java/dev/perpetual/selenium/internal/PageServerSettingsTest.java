package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class PageServerSettingsTest {

    private static PageServerSettings settings(Map<String, String> config) {
        return PageServerSettings.from(key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    void by_default_the_page_is_served_on_loopback_for_browsers_on_this_machine() {
        try (AnalyticsServer server = AnalyticsServer.start(settings(Map.of()))) {
            assertThat(server.baseUrl().getHost()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
            assertThat(get(server.pageUrl(URI.create("https://api.segment.io"), "k"))).isEqualTo(200);
        }
    }

    @Test
    void bound_to_every_interface_the_page_is_opened_at_this_hosts_address_for_a_grid_elsewhere() throws Exception {
        try (AnalyticsServer server = AnalyticsServer.start(settings(Map.of(
                "perpetual.selenium.pages.bind-address", "0.0.0.0")))) {
            assertThat(server.baseUrl().getHost()).isEqualTo(InetAddress.getLocalHost().getHostAddress());
            assertThat(get(server.pageUrl(URI.create("https://api.segment.io"), "k"))).isEqualTo(200);
        }
    }

    @Test
    void a_public_url_is_what_browsers_open() {
        try (AnalyticsServer server = AnalyticsServer.start(settings(Map.of(
                "perpetual.selenium.pages.public-url", "http://probes.internal:8090/")))) {
            assertThat(server.pageUrl(URI.create("https://api.segment.io"), "k").toString())
                    .startsWith("http://probes.internal:8090/analytics/probe.html?writeKey=k");
        }
    }

    @Test
    void bad_values_name_the_key_the_value_and_the_form() {
        assertThatThrownBy(() -> settings(Map.of("perpetual.selenium.pages.bind-address", "grid-node")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Configuration parameter 'perpetual.selenium.pages.bind-address' has an invalid value "
                        + "[grid-node]: use an IP address, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every "
                        + "interface, for a Selenium Grid on another host).");
        assertThatThrownBy(() -> settings(Map.of("perpetual.selenium.pages.port", "70000")))
                .hasMessage("Configuration parameter 'perpetual.selenium.pages.port' has an invalid value [70000]: "
                        + "use a port number from 0 to 65535 (0: any free port).");
        assertThatThrownBy(() -> settings(Map.of("perpetual.selenium.pages.public-url", "probes.internal/pages")))
                .hasMessage("Configuration parameter 'perpetual.selenium.pages.public-url' has an invalid value "
                        + "[probes.internal/pages]: use an http(s) URL without a path, such as "
                        + "http://probes.internal:8090.");
    }

    private static int get(URI url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (Exception e) {
            throw new AssertionError("GET " + url + " failed", e);
        }
    }
}

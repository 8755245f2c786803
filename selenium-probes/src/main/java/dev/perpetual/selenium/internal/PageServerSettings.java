package dev.perpetual.selenium.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Where {@code AnalyticsProbe}'s page is served, and the URL browsers open it at: on this machine by default; for a
 * Selenium Grid on another host, bound to every interface (or one the Grid can reach), at this host's address or
 * the configured public URL.
 *
 * @param bindAddress {@value Constants#SELENIUM_PAGES_BIND_ADDRESS}
 * @param port {@value Constants#SELENIUM_PAGES_PORT}
 * @param publicUrl {@value Constants#SELENIUM_PAGES_PUBLIC_URL}
 */
record PageServerSettings(InetAddress bindAddress, int port, Optional<URI> publicUrl) {

    static PageServerSettings from(Function<String, Optional<String>> config) {
        return new PageServerSettings(
                config.apply(Constants.SELENIUM_PAGES_BIND_ADDRESS).map(String::strip).filter(v -> !v.isEmpty())
                        .map(PageServerSettings::address).orElse(InetAddress.getLoopbackAddress()),
                config.apply(Constants.SELENIUM_PAGES_PORT).map(PageServerSettings::port).orElse(0),
                config.apply(Constants.SELENIUM_PAGES_PUBLIC_URL).map(String::strip).filter(v -> !v.isEmpty())
                        .map(PageServerSettings::publicUrl));
    }

    /** Checks each key on its own with the parsers of {@link #from}, so that every bad one is reported. */
    static void check(Function<String, Optional<String>> config, java.util.function.Consumer<String> problems) {
        dev.perpetual.spi.ConfigurationCheck.parsing(problems, () -> config.apply(Constants.SELENIUM_PAGES_BIND_ADDRESS)
                .map(String::strip).filter(v -> !v.isEmpty()).map(PageServerSettings::address));
        dev.perpetual.spi.ConfigurationCheck.parsing(problems,
                () -> config.apply(Constants.SELENIUM_PAGES_PORT).map(PageServerSettings::port));
        dev.perpetual.spi.ConfigurationCheck.parsing(problems, () -> config.apply(Constants.SELENIUM_PAGES_PUBLIC_URL)
                .map(String::strip).filter(v -> !v.isEmpty()).map(PageServerSettings::publicUrl));
    }

    /** The base URL for browsers, given the address the server is bound to. */
    URI baseUrl(InetSocketAddress bound) {
        if (publicUrl.isPresent()) {
            return URI.create(publicUrl.get().toString().replaceAll("/+$", ""));
        }
        InetAddress address = bound.getAddress();
        if (address.isAnyLocalAddress()) {
            try {
                address = InetAddress.getLocalHost();
            }
            catch (UnknownHostException e) {
                address = InetAddress.getLoopbackAddress();
            }
        }
        String host = address.getHostAddress();
        return URI.create("http://" + (address instanceof Inet6Address ? "[" + host.replaceFirst("%.*", "") + "]"
                : host) + ":" + bound.getPort());
    }

    private static InetAddress address(String value) {
        if (!value.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
            throw invalid(Constants.SELENIUM_PAGES_BIND_ADDRESS, value, "an IP address, such as 127.0.0.1 (this "
                    + "machine only) or 0.0.0.0 (every interface, for a Selenium Grid on another host)");
        }
        try {
            return InetAddress.getByName(value); // a literal: no lookup
        }
        catch (UnknownHostException e) {
            throw invalid(Constants.SELENIUM_PAGES_BIND_ADDRESS, value, "an IP address, such as 0.0.0.0");
        }
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(Constants.SELENIUM_PAGES_PORT, value, "a port number from 0 to 65535 (0: any free port)");
    }

    private static URI publicUrl(String value) {
        try {
            URI url = new URI(value);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null
                    && (url.getRawPath() == null || url.getRawPath().replace("/", "").isEmpty())
                    && url.getRawQuery() == null) {
                return url;
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(Constants.SELENIUM_PAGES_PUBLIC_URL, value,
                "an http(s) URL without a path, such as http://probes.internal:8090");
    }

    private static ExtensionConfigurationException invalid(String key, String value, String expected) {
        return new ExtensionConfigurationException(String.format("Configuration parameter '%s' has an invalid value "
                + "[%s]: use %s.", key, value, expected));
    }
}

package dev.perpetual.selenium.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.spi.ConfigurationCheck;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@value Constants#TENANCY_BROWSER_ORIGINS}: the origins whose requests a run's page sends with the run's trace
 * headers. Unset, the origin of the first page each run opens; {@value #NONE}, none at all.
 *
 * @param listed the configured origins; empty when {@code firstPage} or {@code none}
 * @param firstPage whether each run marks the origin of the first page it opens (the key is unset)
 */
record BrowserOrigins(List<Origin> listed, boolean firstPage) {

    /** The value that marks no request. */
    static final String NONE = "none";

    /** Unset: the origin of each run's first page. */
    static final BrowserOrigins FIRST_PAGE = new BrowserOrigins(List.of(), true);

    static BrowserOrigins from(Function<String, Optional<String>> config) {
        Optional<String> value = config.apply(Constants.TENANCY_BROWSER_ORIGINS).map(String::strip)
                .filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return FIRST_PAGE;
        }
        if (value.get().equalsIgnoreCase(NONE)) {
            return new BrowserOrigins(List.of(), false);
        }
        List<Origin> origins = new ArrayList<>();
        for (String entry : value.get().split(",")) {
            Origin origin = parse(entry.strip(), value.get());
            if (!origins.contains(origin)) {
                origins.add(origin);
            }
        }
        return new BrowserOrigins(List.copyOf(origins), false);
    }

    /** Reports a bad value of the key, with the parser of {@link #from}. */
    static void check(Function<String, Optional<String>> config, Consumer<String> problems) {
        ConfigurationCheck.parsing(problems, () -> from(config));
    }

    /** Whether no request is marked, the key being {@value #NONE}. */
    boolean none() {
        return listed.isEmpty() && !firstPage;
    }

    private static Origin parse(String entry, String value) {
        try {
            URI url = new URI(entry);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))
                    && url.getRawQuery() == null && url.getRawFragment() == null && url.getRawUserInfo() == null;
            if ((scheme.equals("http") || scheme.equals("https")) && bare) {
                Optional<Origin> origin = Origin.of(url);
                if (origin.isPresent()) {
                    return origin.get();
                }
            }
        }
        catch (URISyntaxException e) {
            // reported below
        }
        throw new ExtensionConfigurationException(String.format("Configuration parameter '%s' has an invalid value "
                + "[%s]: [%s] is not an origin. Use comma-separated origins scheme://host[:port] (http or https, no "
                + "path), such as https://shop.example.com,https://api.segment.io; leave the key unset for the "
                + "origin of the first page each run opens, or set it to '%s' to mark no browser request.",
                Constants.TENANCY_BROWSER_ORIGINS, value, entry, NONE));
    }
}

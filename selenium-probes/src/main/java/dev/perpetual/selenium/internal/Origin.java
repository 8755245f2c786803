package dev.perpetual.selenium.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * A web origin, {@code scheme://host[:port]}, as the browser tells one site from another: the scheme and host in lower
 * case, the port always given (80 or 443 when the URL leaves it out).
 */
record Origin(String scheme, String host, int port) {

    /** The origin of an http(s) URL; empty for any other URL ({@code data:}, {@code about:blank}, {@code ws:}). */
    static Optional<Origin> of(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            return Optional.empty();
        }
        int port = url.getPort() >= 0 ? url.getPort() : defaultPort(scheme);
        return Optional.of(new Origin(scheme, url.getHost().toLowerCase(Locale.ROOT), port));
    }

    /** The origin of an http(s) URL given as text; empty for any other, or for text that is no URL. */
    static Optional<Origin> of(String url) {
        try {
            return of(new URI(url));
        }
        catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Whether the port is the scheme's own, which URLs leave out. */
    boolean defaultPort() {
        return port == defaultPort(scheme);
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + (defaultPort() ? "" : ":" + port);
    }
}

package dev.perpetual.selenium.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import dev.perpetual.Constants;

/**
 * Says once per browser pool, as a warning naming the fix, that the browsers' requests go without the runs' trace
 * headers because their requests cannot be intercepted, rather than not marking them silently.
 */
final class UnmarkedWarning {

    private static final Logger LOGGER = Logger.getLogger(UnmarkedWarning.class.getName());

    private final AtomicBoolean said = new AtomicBoolean();

    void noInterception(String browser, String reason) {
        if (said.compareAndSet(false, true)) {
            LOGGER.warning(message(browser, reason));
        }
    }

    static String message(String browser, String reason) {
        return String.format("The pages of browser probes send their requests without the runs' traceparent, "
                + "tracestate and baggage: %s offers no DevTools connection to intercept them (%s). Use Chromium "
                + "with chromedriver (Debian's: apt-get install -y chromium chromium-driver), or a Selenium Grid 4.x "
                + "with DevTools on (its default, '--enable-cdp true') and WebSocket traffic let through; or set '%s' "
                + "to '%s' to mark no browser request and drop this warning.", browser, reason,
                Constants.TENANCY_BROWSER_ORIGINS, BrowserOrigins.NONE);
    }
}

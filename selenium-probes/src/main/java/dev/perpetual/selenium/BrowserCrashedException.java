package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The browser of a run crashed or stopped answering. It has been replaced by a fresh one for the next run; the
 * run is an error (the probe's trouble), not an assertion failure (the site's).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class BrowserCrashedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A crash described by {@code message}, first noticed as {@code cause}. */
    public BrowserCrashedException(String message, Throwable cause) {
        super(message, cause);
    }
}

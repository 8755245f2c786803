package dev.perpetual.internal.webhook;

/**
 * The shared webhook store could not be reached. Not an assertion: a run that meets it is recorded as {@code error},
 * the probe's trouble rather than the system's.
 */
final class RoutingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RoutingException(String message, Throwable cause) {
        super(message, cause);
    }
}

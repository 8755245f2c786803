package dev.perpetual.internal;

import org.opentest4j.AssertionFailedError;

/** Thrown by {@code O.fail} to end the test now; its message is already among the run's errors. */
final class FailNow extends AssertionFailedError {

    private static final long serialVersionUID = 1L;

    FailNow(String message) {
        super(message);
    }
}

package dev.perpetual.internal;

import java.util.concurrent.TimeoutException;

/**
 * A run passed its deadline. Its stack trace is the test thread's stack at that moment, which is where the test
 * was stuck.
 */
final class RunTimedOutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    RunTimedOutException(String message, StackTraceElement[] testThreadStack) {
        super(message);
        if (testThreadStack.length > 0) {
            setStackTrace(testThreadStack);
        }
    }
}

package dev.perpetual.internal;

import org.opentest4j.AssertionFailedError;

/** Marks failures that already name the step they happened in, so enclosing steps pass them on unchanged. */
interface StepFailure {

    /** An assertion that failed inside a step. */
    final class Assertion extends AssertionFailedError implements StepFailure {

        private static final long serialVersionUID = 1L;

        Assertion(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Anything else thrown inside a step. */
    final class Error extends RuntimeException implements StepFailure {

        private static final long serialVersionUID = 1L;

        Error(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Throwable naming(String step, Throwable thrown) {
        if (thrown instanceof StepFailure || thrown instanceof FailNow
                || thrown instanceof org.opentest4j.TestAbortedException || thrown instanceof InterruptedException) {
            return thrown;
        }
        String message = "Step '" + step + "' failed: " + describe(thrown);
        return thrown instanceof AssertionError ? new Assertion(message, thrown) : new Error(message, thrown);
    }

    private static String describe(Throwable thrown) {
        String message = thrown.getMessage();
        if (thrown instanceof AssertionError) {
            return message == null ? "assertion failed" : message;
        }
        return message == null ? thrown.getClass().getName() : thrown.getClass().getSimpleName() + ": " + message;
    }
}

package dev.perpetual.selenium.internal;

import java.nio.file.Path;

import org.opentest4j.AssertionFailedError;

/**
 * Names a run's artifact folder in its failure. An assertion failure is rethrown as one of the same kind with the
 * folder appended to its message (expected and actual values kept); any other exception keeps its type, so the
 * run's outcome does not change, and carries the folder as a suppressed exception.
 */
final class ArtifactsMessage {

    private ArtifactsMessage() {
    }

    static Throwable naming(Throwable failure, Path folder) {
        String suffix = "\nBrowser artifacts of this run: " + folder;
        Throwable named;
        if (failure instanceof AssertionFailedError assertion) {
            named = assertion.isExpectedDefined() || assertion.isActualDefined()
                    ? new AssertionFailedError(failure.getMessage() + suffix, value(assertion.getExpected()),
                            value(assertion.getActual()), failure.getCause())
                    : new AssertionFailedError(failure.getMessage() + suffix, failure.getCause());
        }
        else if (failure.getClass() == AssertionError.class) {
            named = new AssertionError(failure.getMessage() + suffix, failure.getCause());
        }
        else {
            failure.addSuppressed(new BrowserArtifacts(folder));
            return failure;
        }
        named.setStackTrace(failure.getStackTrace());
        for (Throwable suppressed : failure.getSuppressed()) {
            named.addSuppressed(suppressed);
        }
        return named;
    }

    private static Object value(org.opentest4j.ValueWrapper wrapper) {
        return wrapper == null ? null : wrapper.getEphemeralValue();
    }

    /** Carries the artifact folder of a failure that is not an assertion. */
    static final class BrowserArtifacts extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BrowserArtifacts(Path folder) {
            super("Browser artifacts of this run: " + folder, null, false, false);
        }
    }
}

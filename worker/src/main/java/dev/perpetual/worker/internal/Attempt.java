package dev.perpetual.worker.internal;

import java.util.Optional;
import java.util.function.Consumer;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * One execution of a test through the Launcher: listens to its events and receives the extension's report, then
 * says how it ended. A run whose report never arrives (a failing {@code @BeforeAll}, a class that cannot be
 * instantiated) still ends with an outcome, taken from JUnit's result.
 */
final class Attempt implements TestExecutionListener {

    /** The report entry key selenium-probes names a failed run's browser artifacts folder with. */
    static final String ARTIFACTS = "perpetual.browser.artifacts";

    private final String uniqueId;
    private final String runId;
    private final Consumer<Attempt> onTestStarted;
    private volatile RunReport report;
    private volatile TestExecutionResult methodResult;
    private volatile TestExecutionResult containerFailure;
    private volatile String skipReason;
    private volatile Throwable crash;
    private volatile String artifacts;
    /** The last address this attempt's threads asked to connect to ({@link ConnectTargets}), or null. */
    private volatile java.net.URI connecting;

    /** {@code onTestStarted}: JUnit starts the test method, its set-up (class, instance) done. */
    Attempt(String uniqueId, String runId, Consumer<Attempt> onTestStarted) {
        this.uniqueId = uniqueId;
        this.runId = runId;
        this.onTestStarted = onTestStarted;
    }

    /** The id the supervisor chose for the run, or null for the extension to choose. */
    String runId() {
        return runId;
    }

    String uniqueId() {
        return uniqueId;
    }

    void reported(RunReport runReport) {
        this.report = runReport;
    }

    /** The Launcher itself threw (an {@link Error} JUnit rethrows, such as {@link OutOfMemoryError}). */
    void crashed(Throwable thrown) {
        this.crash = thrown;
    }

    Optional<RunReport> report() {
        return Optional.ofNullable(report);
    }

    /** A thread of this attempt is about to connect to {@code uri}. */
    void connecting(java.net.URI uri) {
        connecting = uri;
    }

    /** The failure's message, naming the address a failed connection was for ({@link ConnectMessages}). */
    Optional<String> failureMessage() {
        return failure().map(failure -> ConnectMessages.message(failure, connecting));
    }

    /** Where an extension put this attempt's files ({@value #ARTIFACTS}, published as a report entry), if any. */
    Optional<String> artifacts() {
        return Optional.ofNullable(artifacts);
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        String folder = entry.getKeyValuePairs().get(ARTIFACTS);
        if (folder != null) {
            artifacts = folder;
        }
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        if (identifier.getUniqueId().equals(uniqueId)) {
            onTestStarted.accept(this);
        }
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (skipReason == null) {
            skipReason = reason;
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (identifier.getUniqueId().equals(uniqueId)) {
            methodResult = result;
        }
        else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && containerFailure == null) {
            containerFailure = result;
        }
    }

    Outcome outcome() {
        if (crash != null) {
            return Outcome.of(crash) == Outcome.PASS ? Outcome.ERROR : Outcome.of(crash);
        }
        RunReport runReport = report;
        TestExecutionResult method = methodResult;
        if (method != null && method.getStatus() == TestExecutionResult.Status.FAILED) {
            // The report is made in the extension's afterEach; an extension that runs later may still fail the test.
            return runReport != null && !runReport.outcome().succeeded() ? runReport.outcome()
                    : failedOutcome(method);
        }
        if (runReport != null) {
            return runReport.outcome();
        }
        if (method != null) {
            return method.getStatus() == TestExecutionResult.Status.ABORTED ? Outcome.ABORTED : Outcome.PASS;
        }
        TestExecutionResult container = containerFailure;
        if (container != null) {
            return container.getStatus() == TestExecutionResult.Status.ABORTED ? Outcome.ABORTED
                    : failedOutcome(container);
        }
        return skipReason != null ? Outcome.ABORTED : Outcome.ERROR;
    }

    /** What the failure was, if any. */
    Optional<Throwable> failure() {
        if (crash != null) {
            return Optional.of(crash);
        }
        RunReport runReport = report;
        if (runReport != null && runReport.failure().isPresent()) {
            return runReport.failure();
        }
        TestExecutionResult method = methodResult;
        if (method != null && method.getThrowable().isPresent()) {
            return method.getThrowable();
        }
        TestExecutionResult container = containerFailure;
        return container == null ? Optional.empty() : container.getThrowable();
    }

    /** A message when no throwable explains the outcome. */
    Optional<String> explanation() {
        if (failure().isPresent()) {
            return Optional.empty();
        }
        if (methodResult == null && containerFailure == null && report == null) {
            return Optional.of(skipReason != null ? "skipped: " + skipReason
                    : "the test was not executed: its class or method may have changed since discovery");
        }
        return Optional.empty();
    }

    private static Outcome failedOutcome(TestExecutionResult result) {
        Outcome outcome = Outcome.of(result.getThrowable().orElse(null));
        return outcome == Outcome.PASS ? Outcome.ERROR : outcome;
    }
}

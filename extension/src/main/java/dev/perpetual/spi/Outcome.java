package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/** How one run of a perpetual test ended; the {@code outcome} label of {@code perpetual_run_seconds}. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Outcome {

    /** Passed on the first attempt. */
    PASS,
    /** Failed, then passed on a retry. */
    FLAKY,
    /** An assertion failed, or the test called {@code O.error} or {@code O.fail}: the system's trouble. */
    FAIL,
    /** Any other exception: the probe's own trouble. */
    ERROR,
    /** The run passed its deadline. */
    TIMEOUT,
    /** An assumption failed, or shutdown cut the run off. Never pages. */
    ABORTED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * The outcome a run's failure stands for, by {@link OutcomeRules#DEFAULT}: none is {@link #PASS}; a failed
     * assumption {@link #ABORTED}; a {@link TimeoutException} (Perpetual's or JUnit's {@code @Timeout})
     * {@link #TIMEOUT}; the system's failure (an assertion, trouble talking to it) {@link #FAIL}; the probe's own
     * trouble {@link #ERROR}. See {@link OutcomeRules} for the rules and their per-type overrides.
     */
    public static Outcome of(Throwable failure) {
        return OutcomeRules.DEFAULT.of(failure);
    }

    /** The label value: the name in lower case. */
    public String label() {
        return label;
    }

    /** Whether the run counts as a success for {@code perpetual_test_last_success}. */
    public boolean succeeded() {
        return this == PASS || this == FLAKY;
    }
}

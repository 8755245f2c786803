package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apiguardian.api.API;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The handle of one run of a {@link Perpetual} test, modelled on Go's {@code testing.T} as Orbital's
 * {@code orbital.O} used it. Declare it as a test method parameter.
 *
 * <pre>
 * &#64;Perpetual(period = "1m", timeout = "20s")
 * void signupWorks(O o) {
 *     Account account = o.step("sign up", () -&gt; api.signUp(o.runId() + "@example.test"));
 *     o.cleanup(() -&gt; api.delete(account));          // runs last, always
 *     if (!account.verified()) {
 *         o.error("account %s not verified", account.id()); // record and keep going
 *     }
 *     o.await().until(() -&gt; api.welcomeMailSent(account)); // bounded by the run's deadline
 * }
 * </pre>
 *
 * <p>Methods may be called from any thread the test starts. Once the run has ended, logging and recording
 * errors are ignored.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface O {

    /**
     * Logs a line, printf-style. Lines are kept with the run (and published as JUnit report entries, so they land
     * in the Surefire XML). By default a run keeps at most {@value Constants#LOG_MAX_LINES_DEFAULT} lines and 256 KiB,
     * its first and its latest lines past that ({@link Constants#LOG_MAX_BYTES}), and a line at most 8 KiB, its head
     * and its tail past that ({@link Constants#LOG_MAX_LINE_BYTES}).
     */
    void log(String format, Object... args);

    /** Records a failure and lets the test keep going; the run fails at the end with every error in order. */
    void error(String format, Object... args);

    /** Records a failure and ends the test now, by throwing an {@link AssertionError}. */
    void fail(String format, Object... args);

    /** Whether an error or failure has been recorded in this run so far. */
    boolean failed();

    /** The test's stable name, {@code SimpleClassName.methodName} unless {@link Perpetual#name()} says otherwise. */
    String name();

    /** An id unique to this run, for correlation keys and logs. */
    String runId();

    /**
     * The run's W3C trace context: a fresh trace id, the run's root span, and baggage naming the tenancy
     * ({@link Constants#TENANCY}), the test and the run. Put {@link RunTrace#headers()} on the test's requests so the
     * system under test can tell them from a customer's; {@link #step} runs are child spans of the run's span.
     */
    RunTrace trace();

    /** When this run times out: its start plus the test's timeout. */
    Instant deadline();

    /** The time left until {@link #deadline()}, never negative. */
    Duration remaining();

    /**
     * Registers a cleanup to run after the test, last registered first, always: on pass, failure and timeout.
     * A failing cleanup adds an error to the run, and the other cleanups still run.
     */
    void cleanup(AutoCloseable cleanup);

    /**
     * Runs and times a named step. Its duration is recorded in {@code perpetual.step} with the step's name and
     * outcome, and a failure inside it names the step in the run's failure message. The step is a child span of the
     * run (or of the step it is nested in); with {@code opentelemetry-api} on the class path it is the current span
     * while it runs, so an instrumented client's request made in the step is a child of the step.
     */
    void step(String name, ThrowingRunnable step);

    /** Runs and times a named step that returns a value; see {@link #step(String, ThrowingRunnable)}. */
    <T> T step(String name, ThrowingSupplier<T> step);

    /**
     * A Micrometer registry for custom metrics, tagged {@code test=}{@link #name()}. Meters outlive the run: a
     * counter incremented on every run keeps counting. Under the daemon they are exported with its metrics; in a
     * single execution their values are published as report entries.
     */
    MeterRegistry metrics();

    /**
     * An Awaitility condition factory bounded by {@link #remaining()}, for side effects that are polled rather
     * than delivered: {@code o.await().until(() -> orders.status(id).equals("shipped"))}.
     */
    ConditionFactory await();

    /**
     * A JUnit configuration parameter ({@code junit-platform.properties}, {@code -D}, the launcher's
     * {@code --config}), so one test reads each environment's URLs and credentials without code changes.
     */
    Optional<String> config(String key);

    /**
     * Like {@link #config(String)}, but a missing key fails the run with a message naming the key and how to
     * set it.
     */
    String requireConfig(String key);
}

package dev.perpetual.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.O;
import dev.perpetual.RunTrace;
import dev.perpetual.ThrowingRunnable;
import dev.perpetual.internal.trace.TraceIds;
import dev.perpetual.internal.trace.TraceScopes;
import dev.perpetual.internal.trace.W3cRunTrace;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.OutcomeRules;
import dev.perpetual.spi.PerpetualTest;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.opentest4j.AssertionFailedError;

/** One run of a perpetual test: the {@link O} its code sees, and what the run recorded. */
final class Run implements O {

    private final PerpetualTest test;
    private final String runId;
    private final Instant start;
    private final long startNanos;
    private final Instant deadline;
    private final Clock clock;
    private final JUnitConfig config;
    private final MeterRegistry metrics;
    private final RunLog log;
    private final Cleanups cleanups = new Cleanups();
    private final OutcomeRules outcomes;
    private final List<String> errors = new ArrayList<>();
    private final List<RunReport.Step> steps = new ArrayList<>();
    private final W3cRunTrace trace;
    private final TraceScopes scopes;
    private final ThreadLocal<Deque<OpenStep>> openSteps = ThreadLocal.withInitial(ArrayDeque::new);
    private volatile boolean ended;
    private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

    /** {@code runId}: the id the host chose, or null for a new one; {@code tenancy}: the one its trace carries. */
    Run(PerpetualTest test, Clock clock, Function<String, Optional<String>> config, MeterRegistry metrics,
            LogLimits logLimits, String runId, OutcomeRules outcomes, String tenancy, TraceScopes scopes) {
        this.outcomes = outcomes;
        this.test = test;
        this.clock = clock;
        this.startNanos = System.nanoTime();
        this.start = clock.instant();
        this.runId = runId != null ? runId : RunIds.next(start.toEpochMilli());
        this.deadline = start.plus(test.timeout());
        this.config = new JUnitConfig(test.name(), config);
        this.metrics = metrics;
        this.log = new RunLog(logLimits);
        this.trace = W3cRunTrace.start(tenancy, test.name(), this.runId);
        this.scopes = scopes;
    }

    @Override
    public void log(String format, Object... args) {
        if (!ended) {
            log.add(withStep(format(format, args)));
        }
    }

    @Override
    public void error(String format, Object... args) {
        record("ERROR ", format(format, args));
    }

    @Override
    public void fail(String format, Object... args) {
        throw new FailNow(record("FAIL ", format(format, args)));
    }

    /** Adds an error to the run, unless it has ended, and logs it; returns the message as recorded. */
    private String record(String logPrefix, String text) {
        String message = withStep(text);
        if (!ended) {
            synchronized (errors) {
                errors.add(message);
            }
            log.add(logPrefix + message);
        }
        return message;
    }

    @Override
    public boolean failed() {
        synchronized (errors) {
            return !errors.isEmpty();
        }
    }

    @Override
    public String name() {
        return test.name();
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public W3cRunTrace trace() {
        return trace;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public void cleanup(AutoCloseable cleanup) {
        if (cleanup == null) {
            throw new IllegalArgumentException("O.cleanup needs a cleanup to run, but got null");
        }
        cleanups.add(cleanup);
    }

    @Override
    public void step(String name, ThrowingRunnable step) {
        step(name, () -> {
            step.run();
            return null;
        });
    }

    @Override
    public <T> T step(String name, ThrowingSupplier<T> step) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("O.step needs a name, such as o.step(\"log in\", () -> ...), but got ["
                    + name + "]");
        }
        Deque<OpenStep> open = openSteps.get();
        OpenStep parent = open.peek();
        String path = parent == null ? name : parent.path + " > " + name;
        String spanId = TraceIds.spanId();
        open.push(new OpenStep(path, spanId));
        Instant stepStart = clock.instant();
        long startedAt = System.nanoTime();
        Outcome outcome = Outcome.PASS;
        try (TraceScopes.Scope current = scopes.openStep(trace, spanId)) {
            return step.get();
        }
        catch (Throwable thrown) {
            outcome = outcomes.of(thrown) == Outcome.FAIL ? Outcome.FAIL : Outcome.ERROR;
            throw Sneaky.<RuntimeException>rethrow(StepFailure.naming(path, thrown));
        }
        finally {
            open.pop();
            Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
            synchronized (steps) {
                steps.add(new RunReport.Step(path, stepStart, took, outcome, spanId,
                        parent == null ? trace.spanId() : parent.spanId));
            }
            Timer.builder("perpetual.step")
                    .description("How long the named steps of perpetual tests take")
                    .tag("step", path)
                    .tag("outcome", outcome.label())
                    .serviceLevelObjectives(TestMeters.TIMER_BUCKETS)
                    .register(metrics)
                    .record(took);
        }
    }

    @Override
    public MeterRegistry metrics() {
        return metrics;
    }

    @Override
    public ConditionFactory await() {
        Duration left = remaining();
        return Awaitility.await().atMost(left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left);
    }

    @Override
    public Optional<String> config(String key) {
        return config.get(key);
    }

    @Override
    public String requireConfig(String key) {
        return config.require(key);
    }

    PerpetualTest test() {
        return test;
    }

    Instant start() {
        return start;
    }

    long startNanos() {
        return startNanos;
    }

    /** Runs the cleanups; each failure becomes an error of the run. */
    List<Throwable> runCleanups() {
        List<Throwable> failures = cleanups.runAll();
        for (Throwable failure : failures) {
            error("cleanup failed: %s", failure);
        }
        return failures;
    }

    /**
     * What the test method should end with, given what it threw: every recorded error, in order, becomes one
     * assertion failure; without errors, the thrown exception itself.
     */
    Throwable failureAfter(Throwable thrown) {
        List<String> recorded;
        synchronized (errors) {
            recorded = List.copyOf(errors);
        }
        if (recorded.isEmpty()) {
            return thrown;
        }
        List<String> lines = new ArrayList<>(recorded);
        if (thrown != null && !(thrown instanceof FailNow)) {
            lines.add("then threw " + thrown);
        }
        String message = lines.size() == 1 ? lines.get(0) : numbered(lines);
        AssertionFailedError failure = new AssertionFailedError(message, thrown instanceof FailNow ? null : thrown);
        if (thrown instanceof FailNow) {
            failure.setStackTrace(thrown.getStackTrace());
        }
        return failure;
    }

    private static String numbered(List<String> lines) {
        StringBuilder message = new StringBuilder().append(lines.size()).append(" errors:");
        for (int i = 0; i < lines.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(lines.get(i));
        }
        return message.toString();
    }

    /** Whether the caller is the one to report the run: true once. */
    boolean claimReport() {
        return reported.compareAndSet(false, true);
    }

    /** Ends the run: later logs and errors from threads the test left behind are ignored. */
    void end() {
        ended = true;
    }

    List<String> logLines() {
        return log.lines();
    }

    int droppedLogLines() {
        return log.dropped();
    }

    List<RunReport.Step> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    private String withStep(String message) {
        Deque<OpenStep> open = openSteps.get();
        return open.isEmpty() ? message : "[" + open.peek().path + "] " + message;
    }

    /** A step that has started and not ended on this thread: its name, nested ones joined, and its span. */
    private record OpenStep(String path, String spanId) {
    }

    private static String format(String format, Object... args) {
        if (format == null) {
            return "null";
        }
        if (args == null || args.length == 0) {
            return format;
        }
        Object[] readable = args.clone();
        for (int i = 0; i < readable.length; i++) {
            if (readable[i] instanceof Duration duration) {
                readable[i] = Durations.format(duration);
            }
        }
        try {
            return String.format(format, readable);
        }
        catch (IllegalFormatException e) {
            return format + " " + java.util.Arrays.toString(args) + " (bad format: " + e.getMessage() + ")";
        }
    }
}

package dev.perpetual.worker.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.perpetual.Constants;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * Runs tests through the worker's one Launcher, each run on a pooled thread, and turns every run into exactly one
 * {@link Message.RunData}: retries make a run that passes late {@code flaky}; a watchdog records a run whose
 * {@code execute} does not return in time as {@code timeout} and abandons its thread (its set-up may take the set-up
 * allowance, {@link SetUpAllowance}; from its test method's start, its timeout plus a grace runs); shutdown records the
 * runs still going as {@code aborted}.
 */
final class RunExecutor implements AutoCloseable {

    private final Launcher launcher;
    private final StuckThreads stuckThreads;
    private final RunOutput output;
    private final ConnectTargets targets;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private static final long WATCHDOG_TICK_MILLIS = 50;

    private final ScheduledThreadPoolExecutor watchdog;
    private final ThreadLocal<Attempt> current = new ThreadLocal<>();
    private final Map<String, Attempt> latestByUniqueId = new ConcurrentHashMap<>();
    private final Set<Execution> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    RunExecutor(Launcher launcher, StuckThreads stuckThreads, RunOutput output, ConnectTargets targets,
            ClassLoader testClassLoader) {
        this.launcher = launcher;
        this.stuckThreads = stuckThreads;
        this.output = output;
        this.targets = targets;
        this.clock = Clock.systemUTC();
        AtomicInteger number = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "perpetual-exec-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    thread.setContextClassLoader(testClassLoader);
                    return thread;
                });
        this.watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "perpetual-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // One look over the runs going on every WATCHDOG_TICK: no timer to set and cancel, nor wake-up, per run.
        this.watchdog.scheduleWithFixedDelay(this::watch, WATCHDOG_TICK_MILLIS, WATCHDOG_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Starts one run of {@code test} (its retries included) on a pooled thread; {@code onRecord} gets its one
     * record, on whichever thread ends it. {@code receivedNanos}: when the run was asked for.
     */
    void start(long id, RunTarget test, long receivedNanos, String runId, Consumer<Message.RunData> onRecord) {
        Execution execution = new Execution(id, test, receivedNanos, runId, onRecord);
        running.add(execution);
        try {
            workers.execute(execution::run);
        }
        catch (RuntimeException e) {
            execution.complete(execution.record(Outcome.ERROR, 1, "the daemon could not start the run: " + e,
                    Failures.stack(e), null));
        }
    }

    /** Called by the host with the extension's report, on the thread that called {@code execute}. */
    void reported(RunReport report) {
        Attempt attempt = current.get();
        if (attempt == null || !attempt.uniqueId().equals(report.uniqueId())) {
            // Not on the executing thread (a parallel Jupiter configuration): fall back to the unique id.
            attempt = latestByUniqueId.get(report.uniqueId());
        }
        if (attempt != null) {
            attempt.reported(report);
        }
    }

    /**
     * Whether the current thread is a worker in the middle of a run, which the extension may then run the test
     * method on and abandon at its deadline ({@code PerpetualHost.lendsCurrentThread()}).
     */
    boolean lendsCurrentThread() {
        return current.get() != null;
    }

    /**
     * The extension abandoned {@code thread}, a worker, in a test method that passed its deadline: the run it
     * carried is recorded from {@code report} (or retried) without waiting for it.
     */
    void abandoned(RunReport report, Thread thread) {
        for (Execution execution : running) {
            if (execution.carriedOnBy(thread) && execution.takeOver(report, thread)) {
                return;
            }
        }
        reported(report); // not a run of this executor's (or already recorded): as any report
    }

    /** The id the supervisor chose for the run whose attempt the current thread carries, if it chose one. */
    Optional<String> assignedRunId() {
        Attempt attempt = current.get();
        return attempt == null ? Optional.empty() : Optional.ofNullable(attempt.runId());
    }

    /** The test whose run {@code thread} carries, or abandoned while it still runs, if any. */
    Optional<String> testOn(Thread thread) {
        for (Execution execution : running) {
            if (execution.isOn(thread)) {
                return Optional.of(execution.test.name());
            }
        }
        return Optional.empty();
    }

    /** Runs started and not yet recorded. */
    int running() {
        return running.size();
    }

    /** No retry starts after this; runs going on finish normally. */
    void stopRetrying() {
        stopping = true;
    }

    /** Waits until every run is recorded, at most {@code grace}; whether they were. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        return Drain.await(running, grace);
    }

    /** Records every run still going as {@code aborted}, with {@code why}, and interrupts its thread. */
    void abortRunning(String why) {
        for (Execution execution : List.copyOf(running)) {
            execution.abort(why);
        }
    }

    /** Records run {@code id}, if still going, as {@code aborted}, with {@code why}, and interrupts its thread. */
    void abort(long id, String why) {
        for (Execution execution : running) {
            if (execution.id == id) {
                execution.abort(why);
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        workers.shutdownNow();
    }

    /** The watchdog: records the runs whose attempt is past its timeout plus the grace. */
    private void watch() {
        long now = System.nanoTime();
        for (Execution execution : running) {
            try {
                execution.watch(now);
            }
            catch (RuntimeException | Error e) {
                // Recording failed downstream; the watchdog must keep watching the other runs.
            }
        }
    }

    /** How long past its timeout a run's {@code execute} may take before the watchdog records it. */
    static Duration watchdogGrace(Duration timeout) {
        Duration tenth = timeout.dividedBy(10);
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(30);
        return tenth.compareTo(min) < 0 ? min : tenth.compareTo(max) > 0 ? max : tenth;
    }

    /** One run: its attempts, and the guarantee of exactly one record. */
    private final class Execution {

        private final long id;
        private final RunTarget test;
        private final long receivedNanos;
        /** The id the supervisor chose, or null. */
        private final String runId;
        private final Consumer<Message.RunData> onRecord;
        private final RunOutput.Capture printed = output.open();
        private final AtomicBoolean recorded = new AtomicBoolean();
        private Instant start;
        private long startNanos;
        /** The thread carrying the run on; null between an abandoned thread and the one that carries on. */
        private Thread worker;
        private int attemptNumber;
        private Attempt currentAttempt;
        /** When the watchdog records the current attempt ({@link System#nanoTime()}), unless it ended. */
        private long watchdogDeadline;
        private boolean attemptGoing;
        /** Whether the current attempt is in its set-up: its test method has not started yet. */
        private boolean settingUp;
        private Attempt firstFailed;
        /** The last attempt whose thread the extension abandoned, and which another thread carries on from. */
        private int takenOver;
        /** The last attempt whose thread returned and went on to conclude it: no longer to be taken over. */
        private int concluded;
        private boolean finished;
        /** The thread the watchdog abandoned, counted as stuck until it returns. */
        private Thread abandoned;

        Execution(long id, RunTarget test, long receivedNanos, String runId, Consumer<Message.RunData> onRecord) {
            this.id = id;
            this.test = test;
            this.receivedNanos = receivedNanos;
            this.runId = runId;
            this.onRecord = onRecord;
        }

        synchronized boolean isOn(Thread thread) {
            return worker == thread || abandoned == thread;
        }

        /** On a worker: runs attempts until one decides the run. */
        void run() {
            Thread self = Thread.currentThread();
            output.attach(printed);
            boolean first;
            synchronized (this) {
                worker = self;
                first = start == null;
                if (first) {
                    start = clock.instant();
                    startNanos = System.nanoTime();
                }
            }
            try {
                while (!recorded.get()) {
                    int number;
                    synchronized (this) {
                        number = ++attemptNumber;
                    }
                    Attempt attempt = attempt(number);
                    synchronized (this) {
                        if (takenOver >= number) {
                            return; // this thread was abandoned in the test method; another carries the run on
                        }
                        concluded = number;
                    }
                    if (!retry(attempt, number)) {
                        break;
                    }
                }
            }
            catch (Throwable thrown) {
                // An Error the Launcher rethrew; the daemon lives on.
                complete(record(Outcome.ERROR, attemptNumber, Failures.message(thrown), Failures.stack(thrown),
                        null));
            }
            finally {
                synchronized (this) {
                    if (worker == self) {
                        finished = true;
                    }
                    if (abandoned == self) {
                        abandoned = null;
                        stuckThreads.returned(test.name(), self);
                    }
                }
                output.detach();
                Thread.interrupted();
            }
        }

        /** Attempt {@code number} ended: whether to try again; if not, records the run (unless it is recorded). */
        private boolean retry(Attempt attempt, int number) {
            Outcome outcome = attempt.outcome();
            if (retryable(outcome) && number <= test.retries() && !stopping && !recorded.get()) {
                synchronized (this) {
                    if (firstFailed == null) {
                        firstFailed = attempt;
                    }
                }
                return true;
            }
            Attempt first;
            synchronized (this) {
                first = firstFailed;
            }
            if (!recorded.get()) {
                complete(recordOf(attempt, number, first));
            }
            return false;
        }

        /**
         * The extension abandoned {@code thread} in the test method of the current attempt and reported the attempt
         * as timed out: the run carries on from that report, with a retry on another worker if one is left.
         */
        boolean takeOver(RunReport report, Thread thread) {
            Attempt attempt;
            int number;
            synchronized (this) {
                if (worker != thread || currentAttempt == null || concluded >= attemptNumber || finished
                        || recorded.get()) {
                    return false;
                }
                attempt = currentAttempt;
                number = attemptNumber;
                takenOver = number;
                worker = null;
                attemptGoing = false;
                abandoned = thread;
            }
            stuckThreads.abandoned(test.name(), thread);
            attempt.reported(report);
            if (retry(attempt, number)) {
                try {
                    workers.execute(this::run);
                }
                catch (RuntimeException e) {
                    complete(record(Outcome.ERROR, number, "the daemon could not retry the run: " + e,
                            Failures.stack(e), null));
                }
            }
            return true;
        }

        /** Whether {@code thread} carries this run on. */
        synchronized boolean carriedOnBy(Thread thread) {
            return worker == thread;
        }

        /**
         * One attempt: its set-up (the test class's and the test instance's, such as a Spring context's first build)
         * may take {@link RunTarget#setUp()}; from its test method's start, the test's timeout plus the grace runs.
         */
        private Attempt attempt(int number) {
            Attempt attempt = new Attempt(test.uniqueId(), runId, this::testStarted);
            synchronized (this) {
                currentAttempt = attempt;
                watchdogDeadline = System.nanoTime() + test.setUp().toNanos();
                settingUp = true;
                attemptGoing = true;
            }
            current.set(attempt);
            targets.attach(attempt);
            latestByUniqueId.put(test.uniqueId(), attempt);
            try {
                launcher.execute(test.request(), attempt);
            }
            catch (Throwable thrown) {
                attempt.crashed(thrown);
            }
            finally {
                current.remove();
                targets.detach();
                latestByUniqueId.remove(test.uniqueId(), attempt);
                synchronized (this) {
                    if (takenOver < number) {
                        attemptGoing = false;
                    }
                }
            }
            return attempt;
        }

        /** JUnit starts the test method of {@code attempt}: its set-up is done, and its timeout runs from now. */
        private synchronized void testStarted(Attempt attempt) {
            if (attempt == currentAttempt && settingUp) {
                settingUp = false;
                watchdogDeadline = System.nanoTime() + test.timeout().plus(watchdogGrace(test.timeout())).toNanos();
            }
        }

        private boolean retryable(Outcome outcome) {
            return outcome == Outcome.FAIL || outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT;
        }

        /** On the watchdog: records the run if its attempt is past its deadline. */
        void watch(long now) {
            int number;
            synchronized (this) {
                if (!attemptGoing || now - watchdogDeadline < 0) {
                    return;
                }
                number = attemptNumber;
            }
            expire(number);
        }

        /**
         * The watchdog: {@code execute} has not returned within the set-up allowance (the test method has not
         * started), or by the timeout plus the grace from the test method's start.
         */
        private void expire(int number) {
            String stack;
            Thread thread;
            boolean inSetUp;
            synchronized (this) {
                thread = worker;
                if (finished || recorded.get() || number != attemptNumber || takenOver >= number || thread == null) {
                    return;
                }
                stack = Failures.stack(thread, thread.getStackTrace());
                abandoned = thread;
                inSetUp = settingUp;
            }
            stuckThreads.abandoned(test.name(), thread);
            String message = inSetUp
                    ? String.format("%s's set-up took longer than %s (%s), before its test method started (in a "
                            + "@BeforeAll, the test class's constructor or an extension preparing the instance, such as "
                            + "a Spring context's first build); its thread did not return and is abandoned",
                            test.name(), Durations.format(test.setUp()), Constants.TIMEOUT_SETUP)
                    : String.format("%s timed out after %s, outside the test method (in a @BeforeEach, @AfterEach or "
                            + "extension); its thread did not return and is abandoned", test.name(),
                            Durations.format(test.timeout()));
            if (complete(record(Outcome.TIMEOUT, number, message, stack, null))) {
                interruptIfStillOn(thread);
            }
        }

        /**
         * Interrupts {@code thread} if it is still inside this run: a thread that has left it may already carry
         * another run, which the interrupt would hit instead.
         */
        private synchronized void interruptIfStillOn(Thread thread) {
            if (abandoned == thread || (worker == thread && !finished)) {
                thread.interrupt();
            }
        }

        void abort(String why) {
            Thread thread;
            synchronized (this) {
                if (finished || recorded.get()) {
                    return;
                }
                thread = worker;
            }
            if (complete(record(Outcome.ABORTED, Math.max(1, attemptNumber), why, null, null)) && thread != null) {
                interruptIfStillOn(thread);
            }
        }

        /** Hands on the run's record if none was handed on yet; whether this one was. */
        boolean complete(Message.RunData runRecord) {
            if (!recorded.compareAndSet(false, true)) {
                return false;
            }
            try {
                onRecord.accept(runRecord);
            }
            finally {
                synchronized (running) {
                    running.remove(this);
                    running.notifyAll();
                }
            }
            return true;
        }

        private Message.RunData recordOf(Attempt attempt, int attempts, Attempt firstFailed) {
            Outcome outcome = attempt.outcome();
            String message = attempt.failureMessage().or(attempt::explanation).orElse(null);
            String stack = attempt.failure().map(Failures::stack).orElse(null);
            if (outcome == Outcome.PASS && firstFailed != null) {
                outcome = Outcome.FLAKY;
                message = String.format("passed on attempt %d of %d; attempt 1: %s %s", attempts,
                        test.retries() + 1, firstFailed.outcome().label(),
                        firstFailed.failureMessage().or(firstFailed::explanation).orElse(""));
                stack = firstFailed.failure().map(Failures::stack).orElse(null);
            }
            String artifacts = (firstFailed == null ? Optional.<String>empty() : firstFailed.artifacts())
                    .or(attempt::artifacts).orElse(null);
            return record(outcome, attempts, message, stack, attempt.report().orElse(null), artifacts);
        }

        Message.RunData record(Outcome outcome, int attempts, String message, String stack, RunReport report) {
            return record(outcome, attempts, message, stack, report, null);
        }

        synchronized Message.RunData record(Outcome outcome, int attempts, String message, String stack,
                RunReport report, String artifacts) {
            Instant started = start == null ? clock.instant() : start;
            long duration = start == null ? 0 : System.nanoTime() - startNanos;
            String runId = report != null ? report.runId() : newRunId(started);
            return new Message.RunData(runId, micros(started), start == null ? 0 : startNanos - receivedNanos,
                    duration, outcome, Math.max(1, attempts), message, stack,
                    report == null ? List.of() : report.logLines(), report == null ? 0 : report.droppedLogLines(),
                    report == null ? List.of() : report.steps().stream().map(RunExecutor::step).toList(),
                    report == null ? List.of() : report.webhooks().stream().map(RunExecutor::webhook).toList(),
                    abandoned != null || (report != null && report.testThreadStuck()),
                    printed == null ? null : printed.close(), artifacts,
                    report == null ? null : report.trace().traceId(), report == null ? null : report.trace().spanId());
        }
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static Message.StepData step(RunReport.Step step) {
        return new Message.StepData(step.name(), micros(step.start()), step.duration().toNanos(), step.outcome(),
                step.spanId(), step.parentSpanId());
    }

    private static Message.WebhookData webhook(RunReport.Webhook webhook) {
        return new Message.WebhookData(webhook.channel(), webhook.key(), webhook.deliveries(),
                webhook.latency().map(Duration::toNanos).orElse(-1L));
    }

    /** A run id for a run the extension never started (same shape as the extension's). */
    private static String newRunId(Instant start) {
        String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 4, 36);
        return Long.toString(start.toEpochMilli(), 36) + "-" + "0".repeat(Math.max(0, 12 - random.length())) + random;
    }
}

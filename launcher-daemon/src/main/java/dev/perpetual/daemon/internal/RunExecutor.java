package dev.perpetual.daemon.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import org.junit.platform.launcher.Launcher;

/**
 * Runs tests through the daemon's one Launcher, each run on a pooled thread, and turns every run into exactly one
 * {@link RunRecord}: retries make a run that passes late {@code flaky}; a watchdog records a run whose
 * {@code execute} does not return by its timeout plus a grace as {@code timeout} and abandons its thread; shutdown
 * records the runs still going as {@code aborted}.
 */
final class RunExecutor implements AutoCloseable {

    private final Launcher launcher;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor watchdog;
    private final ThreadLocal<Attempt> current = new ThreadLocal<>();
    private final Map<String, Attempt> latestByUniqueId = new ConcurrentHashMap<>();
    private final Set<Execution> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    RunExecutor(Launcher launcher, DaemonMetrics metrics, ClassLoader testClassLoader) {
        this.launcher = launcher;
        this.metrics = metrics;
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
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts one run of {@code test} (its retries included) on a pooled thread; {@code onRecord} gets its one
     * record, on whichever thread ends it.
     */
    void start(ScheduledTest test, Instant planned, Consumer<RunRecord> onRecord) {
        Execution execution = new Execution(test, planned, onRecord);
        running.add(execution);
        metrics.inFlight().incrementAndGet();
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
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (running) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(running, left);
            }
        }
        return true;
    }

    /** Records every run still going as {@code aborted}, with {@code why}, and interrupts its thread. */
    void abortRunning(String why) {
        for (Execution execution : List.copyOf(running)) {
            execution.abort(why);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        workers.shutdownNow();
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

        private final ScheduledTest test;
        private final Instant planned;
        private final Consumer<RunRecord> onRecord;
        private final AtomicBoolean recorded = new AtomicBoolean();
        private Instant start;
        private long startNanos;
        private Thread worker;
        private int attemptNumber;
        private boolean finished;
        private boolean abandoned;

        Execution(ScheduledTest test, Instant planned, Consumer<RunRecord> onRecord) {
            this.test = test;
            this.planned = planned;
            this.onRecord = onRecord;
        }

        void run() {
            synchronized (this) {
                worker = Thread.currentThread();
                start = clock.instant();
                startNanos = System.nanoTime();
            }
            try {
                Attempt attempt = null;
                Attempt firstFailed = null;
                int attempts = 0;
                while (!recorded.get()) {
                    attempts++;
                    attempt = attempt(attempts);
                    Outcome outcome = attempt.outcome();
                    if (!retryable(outcome) || attempts > test.settings().retries() || stopping) {
                        break;
                    }
                    if (firstFailed == null) {
                        firstFailed = attempt;
                    }
                }
                if (attempt != null && !recorded.get()) {
                    complete(recordOf(attempt, attempts, firstFailed));
                }
            }
            catch (Throwable thrown) {
                // An Error the Launcher rethrew; the daemon lives on.
                complete(record(Outcome.ERROR, attemptNumber, Failures.message(thrown), Failures.stack(thrown),
                        null));
            }
            finally {
                synchronized (this) {
                    finished = true;
                    if (abandoned) {
                        metrics.abandonedThreadReturned();
                    }
                }
                Thread.interrupted();
            }
        }

        private Attempt attempt(int number) {
            Attempt attempt = new Attempt(test.uniqueId());
            long deadline = test.settings().timeout().plus(watchdogGrace(test.settings().timeout())).toNanos();
            ScheduledFuture<?> timer;
            synchronized (this) {
                attemptNumber = number;
                timer = watchdog.schedule(() -> expire(number), deadline, TimeUnit.NANOSECONDS);
            }
            current.set(attempt);
            latestByUniqueId.put(test.uniqueId(), attempt);
            try {
                launcher.execute(test.request(), attempt);
            }
            catch (Throwable thrown) {
                attempt.crashed(thrown);
            }
            finally {
                current.remove();
                latestByUniqueId.remove(test.uniqueId(), attempt);
                timer.cancel(false);
            }
            return attempt;
        }

        private boolean retryable(Outcome outcome) {
            return outcome == Outcome.FAIL || outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT;
        }

        /** The watchdog: {@code execute} has not returned by the timeout plus the grace. */
        private void expire(int number) {
            String stack;
            synchronized (this) {
                if (finished || recorded.get() || number != attemptNumber) {
                    return;
                }
                stack = Failures.stack(worker, worker.getStackTrace());
                abandoned = true;
                metrics.threadAbandoned();
            }
            String message = String.format("%s timed out after %s, outside the test method (in a @BeforeAll, "
                    + "@BeforeEach, @AfterEach or extension); its thread did not return and is abandoned",
                    test.name(), Durations.format(test.settings().timeout()));
            if (complete(record(Outcome.TIMEOUT, number, message, stack, null))) {
                worker.interrupt();
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
                thread.interrupt();
            }
        }

        /** Hands on the run's record if none was handed on yet; whether this one was. */
        boolean complete(RunRecord runRecord) {
            if (!recorded.compareAndSet(false, true)) {
                return false;
            }
            metrics.inFlight().decrementAndGet();
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

        private RunRecord recordOf(Attempt attempt, int attempts, Attempt firstFailed) {
            Outcome outcome = attempt.outcome();
            String message = attempt.failure().map(Failures::message).or(attempt::explanation).orElse(null);
            String stack = attempt.failure().map(Failures::stack).orElse(null);
            if (outcome == Outcome.PASS && firstFailed != null) {
                outcome = Outcome.FLAKY;
                message = String.format("passed on attempt %d of %d; attempt 1: %s %s", attempts,
                        test.settings().retries() + 1, firstFailed.outcome().label(),
                        firstFailed.failure().map(Failures::message).or(firstFailed::explanation).orElse(""));
                stack = firstFailed.failure().map(Failures::stack).orElse(null);
            }
            return record(outcome, attempts, message, stack, attempt.report().orElse(null));
        }

        synchronized RunRecord record(Outcome outcome, int attempts, String message, String stack,
                RunReport report) {
            Instant started = start == null ? clock.instant() : start;
            Duration duration = start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
            String runId = report != null ? report.runId() : newRunId(started);
            return new RunRecord(test.name(), test.className(), runId, planned, started, duration, outcome,
                    Math.max(1, attempts), message, stack,
                    report == null ? List.of() : report.logLines(), report == null ? 0 : report.droppedLogLines(),
                    report == null ? List.of() : report.steps(), report == null ? List.of() : report.webhooks(),
                    abandoned || (report != null && report.testThreadStuck()));
        }
    }

    /** A run id for a run the extension never started (same shape as the extension's). */
    private static String newRunId(Instant start) {
        String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 4, 36);
        return Long.toString(start.toEpochMilli(), 36) + "-" + "0".repeat(Math.max(0, 12 - random.length())) + random;
    }
}

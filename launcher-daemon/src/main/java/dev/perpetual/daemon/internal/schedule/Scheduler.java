package dev.perpetual.daemon.internal.schedule;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import dev.perpetual.Overlap;
import dev.perpetual.daemon.internal.records.DaemonMetrics;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.internal.workers.Workers;
import dev.perpetual.spi.Outcome;
import org.apiguardian.api.API;

/**
 * Starts every test at a fixed rate without drift: the n-th planned start of a test is its origin plus n periods,
 * whenever the previous run actually started or ended. The origins are spread over the first period by a stable
 * per-test {@link Offsets offset}. A tick that finds the test's previous run going is skipped ({@link Overlap#SKIP})
 * or starts another run ({@link Overlap#ALLOW}); either way no more than {@code maxConcurrentRuns} runs go at once.
 * A test with a {@code periodWhileFailing} changes cadence when its last decisive run changes from passing to failing
 * or back, counting from the start of that run.
 *
 * <p>With {@code perpetual.cluster.mode=once} a {@link RunGate} decides last whether this daemon runs a tick (the
 * fleet's lease), and ticks fall on the wall clock's grid so that every daemon plans the same instants.
 *
 * <p>With a durable run store, a test's first run after a restart is at its next slot after its last recorded start
 * (on its current period), so a rolling deploy neither bursts nor leaves a gap.
 *
 * <p>A test whose thread is stuck in a worker is not started again while that thread lives ({@code stuck}); a
 * quarantined test's ticks are skipped while its cadence backs off ({@code quarantine}).
 *
 * <p>Overload is recorded as overload, never as a run started too late: a tick that fires more than half a period
 * late is skipped ({@code behind}), and so is every tick while runs recorded in the last few seconds started more than
 * a second late ({@code saturated}, see {@link Saturation}): the workers cannot keep up, and the load sheds until
 * they do. A run's timeout counts from its own start in the worker, never from its planned start.
 *
 * <p>All planning happens on one timer thread; runs happen in the {@link Workers}. Every tick, and the start, set
 * {@code perpetual_scheduler_heartbeat_timestamp_seconds} on that thread, before anything else: a loop that wedges
 * or stops planning stops the heartbeat, whatever else still answers ({@code PerpetualSchedulerStalled}).
 */
@API(status = INTERNAL, since = "0.1")
public final class Scheduler {

    static final String SKIP_OVERLAP = "overlap";
    static final String SKIP_MAX_CONCURRENT_RUNS = "max-concurrent-runs";
    static final String SKIP_BEHIND = "behind";
    static final String SKIP_SATURATED = "saturated";
    static final String SKIP_STUCK = "stuck";
    static final String SKIP_QUARANTINE = "quarantine";
    static final String SKIP_PAUSED = "paused";
    /** How long the timer may go without a beat before {@code /healthz} fails. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<Slot> slots;
    private final Map<String, Slot> byName = new HashMap<>();
    private final Map<String, Instant> lastStarts;
    private final Workers executor;
    private final DaemonMetrics metrics;
    private final Consumer<RunRecord> results;
    private final Semaphore permits;
    private final Saturation saturation = new Saturation();
    private final RunGate gate;
    private final ScheduledThreadPoolExecutor timer;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean running;
    /**
     * The scheduler's own lateness (tick − planned start), for benchmarks; the exported lateness is observed when
     * a worker actually starts the run ({@link Workers}).
     */
    volatile LongConsumer tickLateness = nanos -> {
    };
    private volatile long beatNanos = System.nanoTime();
    private long originNanos;
    private Instant originWall;

    Scheduler(List<ScheduledTest> tests, Workers executor, DaemonMetrics metrics, Consumer<RunRecord> results,
            int maxConcurrentRuns) {
        this(tests, executor, metrics, results, maxConcurrentRuns, RunGate.EACH);
    }

    /** {@code gate}: whether this daemon runs a tick ({@code perpetual.cluster.mode}); closed by {@link #stop()}. */
    public Scheduler(List<ScheduledTest> tests, Workers executor, DaemonMetrics metrics, Consumer<RunRecord> results,
            int maxConcurrentRuns, RunGate gate) {
        this(tests, executor, metrics, results, maxConcurrentRuns, gate, Map.of());
    }

    /**
     * {@code lastStarts}: when each test last started, by name, as a durable run store kept it: its first run is at
     * its next slot after that (one period, its current one, after another), not at its offset.
     */
    public Scheduler(List<ScheduledTest> tests, Workers executor, DaemonMetrics metrics, Consumer<RunRecord> results,
            int maxConcurrentRuns, RunGate gate, Map<String, Instant> lastStarts) {
        this.lastStarts = Map.copyOf(lastStarts);
        this.gate = gate;
        this.slots = tests.stream().map(Slot::new).toList();
        slots.forEach(slot -> byName.put(slot.test.name(), slot));
        slots.forEach(slot -> metrics.paused(slot.test.name(), () -> slot.pausedAt(clock.instant())));
        this.executor = executor;
        this.metrics = metrics;
        this.results = results;
        this.permits = new Semaphore(maxConcurrentRuns);
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "perpetual-scheduler");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    public void start() {
        timer.execute(() -> {
            originNanos = System.nanoTime();
            originWall = clock.instant();
            metrics.heartbeat(originWall);
            running = true;
            for (Slot slot : slots) {
                Duration period = slot.test.period();
                Duration offset = Offsets.of(slot.test.name(), period);
                Instant last = lastStarts.get(slot.test.name());
                slot.planned = originNanos + (gate.aligned() ? untilGrid(originWall, period, offset)
                        : last != null ? untilNextSlot(originWall, last, period) : offset.toNanos());
                schedule(slot);
            }
        });
        timer.scheduleAtFixedRate(() -> beatNanos = System.nanoTime(), 0, 1, TimeUnit.SECONDS);
    }

    /** Whether the timer thread still runs its tasks: it beats every second. */
    public boolean moving() {
        return System.nanoTime() - beatNanos < STALL_NANOS;
    }

    public boolean isRunning() {
        return running && !timer.isShutdown();
    }

    /** Stops planning: no tick starts a run after this returns. */
    public void stop() {
        running = false;
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gate.close();
    }

    /** Nanoseconds from {@code now} to the next instant {@code epoch + offset + n × period}: the fleet's grid. */
    static long untilGrid(Instant now, Duration period, Duration offset) {
        long periodMillis = Math.max(1, period.toMillis());
        long nowMillis = now.toEpochMilli();
        long next = Math.floorDiv(nowMillis - offset.toMillis() + periodMillis - 1, periodMillis) * periodMillis
                + offset.toMillis();
        return (next - nowMillis) * 1_000_000;
    }

    /**
     * Nanoseconds from {@code now} to the first instant {@code last + n × period} (n ≥ 1) after it: a restarted
     * daemon's first run of a test that last started at {@code last}; at most one period.
     */
    static long untilNextSlot(Instant now, Instant last, Duration period) {
        long periodNanos = Math.max(1, period.toNanos());
        if (last.isAfter(now)) {
            return periodNanos;
        }
        long since = Duration.between(last, now).toNanos();
        return periodNanos - since % periodNanos;
    }

    private void schedule(Slot slot) {
        slot.next = timer.schedule(() -> tick(slot), slot.planned - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void tick(Slot slot) {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        metrics.heartbeat(clock.instant()); // the dead-man's switch: set by the loop itself, on every pass
        try {
            startOrSkip(slot, now);
        }
        catch (RuntimeException | Error e) {
            // Whatever went wrong with this tick, the test keeps its place in the schedule.
        }
        finally {
            slot.planned += slot.period().toNanos();
            catchUp(slot, now);
            schedule(slot);
        }
    }

    private void startOrSkip(Slot slot, long now) {
        tickLateness.accept(now - slot.planned);
        String name = slot.test.name();
        if (behind(now - slot.planned, slot.period().toNanos())) {
            metrics.skipped(name, SKIP_BEHIND, 1);
        }
        else if (saturation.saturated(now)) {
            metrics.skipped(name, SKIP_SATURATED, 1);
        }
        else if (slot.pausedAt(wall(slot.planned))) {
            metrics.skipped(name, SKIP_PAUSED, 1);
        }
        else if (executor.stuck(name)) {
            metrics.skipped(name, SKIP_STUCK, 1);
        }
        else if (executor.backingOff(name, wall(slot.planned))) {
            metrics.skipped(name, SKIP_QUARANTINE, 1);
        }
        else if (slot.test.overlap() == Overlap.SKIP && slot.inFlight.get() > 0) {
            metrics.skipped(name, SKIP_OVERLAP, 1);
        }
        else if (!permits.tryAcquire()) {
            metrics.skipped(name, SKIP_MAX_CONCURRENT_RUNS, 1);
        }
        else if (!gate.admit(slot.test, wall(slot.planned))) {
            permits.release();
            metrics.skipped(name, RunGate.SKIP_LEASE, 1); // another daemon of the fleet runs this tick
        }
        else {
            slot.inFlight.incrementAndGet();
            long planned = slot.planned;
            try {
                executor.start(slot.test, wall(planned), record -> finished(slot, record, planned));
            }
            catch (RuntimeException e) {
                slot.inFlight.decrementAndGet();
                permits.release();
                throw e;
            }
        }
    }

    /** What a request to control one test found. */
    public enum Control {
        /** Done. */
        DONE,
        /** No scheduled test has that name. */
        UNKNOWN,
        /** A thread of its last run is stuck: it is not started again while that thread lives. */
        STUCK,
        /** A run of it is going and its overlap is {@code skip}. */
        GOING,
        /** {@code perpetual.daemon.max-concurrent-runs} runs are going. */
        FULL,
        /** The schedule has stopped. */
        STOPPED
    }

    /**
     * Starts a run of {@code name} now, outside its schedule, with the run id {@code runId}: its record is kept and
     * counted as any other's; its schedule is unchanged. A paused test may be run so.
     */
    public Control runNow(String name, String runId) {
        Slot slot = byName.get(name);
        if (slot == null) {
            return Control.UNKNOWN;
        }
        if (!running) {
            return Control.STOPPED;
        }
        if (executor.stuck(name)) {
            return Control.STUCK;
        }
        if (slot.test.overlap() == Overlap.SKIP && slot.inFlight.get() > 0) {
            return Control.GOING;
        }
        if (!permits.tryAcquire()) {
            return Control.FULL;
        }
        slot.inFlight.incrementAndGet();
        long planned = System.nanoTime();
        try {
            executor.start(slot.test, wall(planned), runId, record -> finished(slot, record, planned));
        }
        catch (RuntimeException e) {
            slot.inFlight.decrementAndGet();
            permits.release();
            throw e;
        }
        return Control.DONE;
    }

    /** Pauses {@code name}'s schedule until {@code until} (null: until it is resumed); its ticks are skipped. */
    public Control pause(String name, Instant until) {
        Slot slot = byName.get(name);
        if (slot == null) {
            return Control.UNKNOWN;
        }
        slot.pausedUntil = until == null ? Instant.MAX : until;
        return Control.DONE;
    }

    public Control resume(String name) {
        Slot slot = byName.get(name);
        if (slot == null) {
            return Control.UNKNOWN;
        }
        slot.pausedUntil = null;
        return Control.DONE;
    }

    /** Until when {@code name} is paused ({@link Instant#MAX}: until resumed), or null when it is not. */
    public Instant pausedUntil(String name) {
        Slot slot = byName.get(name);
        Instant until = slot == null ? null : slot.pausedUntil;
        return until != null && until.isAfter(clock.instant()) ? until : null;
    }

    /**
     * Whether a tick that fires {@code lateNanos} after its planned start is too late to start: by more than half its
     * period, it would start nearer the next tick than its own. (The timer itself could not keep up.)
     */
    static boolean behind(long lateNanos, long periodNanos) {
        return lateNanos > periodNanos / 2;
    }

    /** After a stall longer than a period (a long GC pause, a suspended VM), skips the missed ticks, counted. */
    private void catchUp(Slot slot, long now) {
        long period = slot.period().toNanos();
        long behind = now - slot.planned;
        if (behind >= period) {
            long missed = behind / period;
            slot.planned += missed * period;
            metrics.skipped(slot.test.name(), SKIP_BEHIND, missed);
        }
    }

    private void finished(Slot slot, RunRecord record, long planned) {
        slot.inFlight.decrementAndGet();
        permits.release();
        if (record.outcome() != Outcome.ABORTED) { // an aborted run may never have started
            saturation.started(java.time.Duration.between(wall(planned), record.start()).toNanos(),
                    System.nanoTime());
        }
        try {
            results.accept(record);
        }
        finally {
            if (record.outcome() != Outcome.ABORTED && slot.test.periodWhileFailing().isPresent()) {
                boolean succeeded = record.outcome().succeeded();
                if (slot.lastSucceeded != succeeded) {
                    slot.lastSucceeded = succeeded;
                    if (running) {
                        timer.execute(() -> replan(slot, planned));
                    }
                }
            }
        }
    }

    /**
     * The cadence changed with the run planned at {@code planned}: the next start is one new period after it, or now
     * if that has passed.
     */
    private void replan(Slot slot, long planned) {
        if (!running || slot.next == null) {
            return;
        }
        slot.next.cancel(false);
        slot.planned = Math.max(planned + slot.period().toNanos(), System.nanoTime());
        schedule(slot);
    }

    private Instant wall(long nanos) {
        return originWall.plusNanos(nanos - originNanos);
    }

    /** One test's place in the schedule. Planning fields are touched by the timer thread only. */
    private static final class Slot {

        final ScheduledTest test;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean lastSucceeded = true;
        /** Paused until then ({@link Instant#MAX}: until resumed), or null. */
        volatile Instant pausedUntil;
        long planned;
        ScheduledFuture<?> next;

        Slot(ScheduledTest test) {
            this.test = test;
        }

        Duration period() {
            return test.periodAfter(lastSucceeded);
        }

        boolean pausedAt(Instant instant) {
            Instant until = pausedUntil;
            return until != null && until.isAfter(instant);
        }
    }
}

package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.perpetual.Constants;
import dev.perpetual.daemon.internal.records.Console;
import dev.perpetual.daemon.internal.records.DaemonMetrics;
import dev.perpetual.daemon.internal.records.WorkerGauges;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.RunRecords;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.internal.records.Views;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.worker.internal.Drain;
import dev.perpetual.worker.internal.Message;
import org.apiguardian.api.API;

/**
 * The supervisor's workers: starts them, hands them runs, watches their health and replaces them. The main worker
 * runs every test; a test that ended or wedged its worker {@code perpetual.worker.quarantine-after} times within an
 * hour gets a worker of its own from then on. A worker that exits is replaced within the restart back-off; one that
 * holds too many stuck threads, a thread stuck too long, too full a heap or too many open files is recycled: a new
 * worker takes new runs, the old one gets the grace to finish its own, then is killed. Every run handed out ends in
 * exactly one record.
 */
@API(status = INTERNAL, since = "0.1")
public final class Workers implements WorkerGauges, AutoCloseable {

    /** How long ahead of a recycle a clock will decide its successor is started: a JVM's start beside a busy one. */
    static final Duration SUCCESSOR_LEAD = Duration.ofSeconds(5);

    /** A worker that has sent no health beat for this long is wedged. */
    static final Duration UNRESPONSIVE = Duration.ofSeconds(15);

    private final WorkerSettings settings;
    private final Message.Init init;
    private final Starter starter;
    private volatile DaemonMetrics metrics;
    private final Console console;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger numbers = new AtomicInteger();
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** The shared workers' slots ({@code perpetual.workers}), also in {@link #slots} under their index. */
    private final List<Slot> shared;
    private final WebhookRoutes routes;
    private final AtomicInteger turns = new AtomicInteger();
    private final Map<Worker, Slot> slotOf = new ConcurrentHashMap<>();
    /** The shared workers' selection: with several, {@code perpetual.webhooks.port=0} becomes one free port for all. */
    private final Message.Selection sharedSelection;
    private final ScheduledThreadPoolExecutor timer;
    private final CompletableFuture<Message.Catalog> catalog = new CompletableFuture<>();
    private final Blame blame;
    private volatile String webhooks;
    private volatile boolean stopping;
    private volatile boolean closed;

    /** Starts a worker for a slot: forked or in-process. */
    public interface Starter {
        Worker.Link start(Worker worker) throws IOException;
    }

    public Workers(WorkerSettings settings, Message.Init init, Starter starter, Console console) {
        this.settings = settings;
        this.init = init;
        this.starter = starter;
        this.console = console;
        this.blame = new Blame(settings.quarantineAfter());
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "perpetual-workers");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.routes = new WebhookRoutes(settings.earlyRetention(), result -> count(m -> m.webhookRouted(result)));
        List<Slot> created = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) {
            Slot slot = new Slot(null);
            created.add(slot);
            slots.put(Integer.toString(i), slot); // a test's name always has a dot: no clash
        }
        this.shared = List.copyOf(created);
        this.sharedSelection = settings.workers() > 1 && "0".equals(init.selection().config()
                .getOrDefault(Constants.WEBHOOKS_PORT, "").strip())
                        ? withWebhookPort(init.selection(), Integer.toString(freePort()))
                        : init.selection();
        timer.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    /** Starts the first shared worker, which discovers; the catalog it sends. */
    public Message.Catalog discover() throws IOException, InterruptedException {
        Slot main = shared.get(0);
        main.startNow(true);
        Message.Catalog found;
        try {
            found = catalog.get(ForkedLink.CONNECT_SECONDS * 4, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("The worker did not report what it discovered: " + e.getCause(), e.getCause());
        }
        catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("The worker did not report what it discovered within "
                    + ForkedLink.CONNECT_SECONDS * 4 + "s", e);
        }
        String port = found.config().get(Constants.WEBHOOKS_PORT);
        if (shared.size() > 1 && port != null && port.strip().equals("0")) { // not --config's: that one is resolved
            List<String> problems = new ArrayList<>(found.problems());
            problems.add(Constants.WEBHOOKS_PORT + " = [0] is set in a properties file, but with " + Constants.WORKERS
                    + " = [" + shared.size() + "] the workers share one webhook port, which each would pick for "
                    + "itself: give it with --config " + Constants.WEBHOOKS_PORT + "=0 (one free port for all) or a "
                    + "port number.");
            return new Message.Catalog(found.tests(), found.notPerpetual(), problems, found.nothing(), found.config());
        }
        return found;
    }

    /**
     * From now on the workers' state and the tests' meters are exported in {@code daemonMetrics}, and each worker
     * that comes up says so on the console.
     */
    public void attach(DaemonMetrics daemonMetrics) {
        daemonMetrics.workers(this);
        quarantines.forEach((test, quarantine) -> daemonMetrics.quarantined(test, quarantine.isolated));
        this.metrics = daemonMetrics;
        slots.values().forEach(slot -> slot.workers().forEach(worker -> {
            if (worker.hello() != null) {
                announce(worker, worker.hello());
            }
        }));
    }

    private void announce(Worker worker, Message.Hello hello) {
        console.info(String.format(Locale.ROOT, "Worker %d (pid %d) up%s: JUnit Platform %s, heap %d MiB",
                worker.number, hello.pid(), worker.dedicatedTo == null ? "" : " for " + worker.dedicatedTo
                        + " alone", hello.junit(), hello.maxHeap() >> 20));
    }

    private void count(Consumer<DaemonMetrics> update) {
        DaemonMetrics current = metrics;
        if (current != null) {
            update.accept(current);
        }
    }

    /** The base URL the worker serves webhooks at, once a test has needed them. */
    public String webhooks() {
        return webhooks;
    }

    /**
     * Starts one run of {@code test} in its worker; {@code onRecord} gets its one record. While its worker is being
     * started, the run waits for it.
     */
    public void start(ScheduledTest test, Instant planned, Consumer<RunRecord> onRecord) {
        start(test, planned, null, onRecord);
    }

    /** As {@link #start(ScheduledTest, Instant, Consumer)}, with the run's id chosen here ({@code null}: the worker's). */
    public void start(ScheduledTest test, Instant planned, String runId, Consumer<RunRecord> onRecord) {
        releaseIfCleared(test.name(), Instant.now());
        Run run = new Run(ids.incrementAndGet(), test, planned, runId, onRecord);
        running.add(run);
        count(m -> m.inFlight().incrementAndGet());
        Slot alone = quarantined(test.name()) ? alone(test.name()) : null;
        (alone == null ? shared() : alone).hand(run);
    }

    /**
     * The quarantined test's own slot; null when it is released meanwhile (its release clears the quarantine, then
     * removes the slot: a slot is never made again for a test released).
     */
    private Slot alone(String test) {
        return slots.compute(test, (name, slot) -> slot != null ? slot : quarantined(name) ? new Slot(name) : null);
    }

    /** The shared slot holding the fewest runs; the next in turn among equals. */
    private Slot shared() {
        int size = shared.size();
        if (size == 1) {
            return shared.get(0);
        }
        int first = Math.floorMod(turns.getAndIncrement(), size);
        Slot least = null;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            Slot slot = shared.get((first + i) % size);
            int load = slot.load();
            if (load < fewest) {
                least = slot;
                fewest = load;
            }
        }
        return least;
    }

    /** Whether a thread of {@code test} is stuck in a worker: the test is not started again while it lives. */
    public boolean stuck(String test) {
        for (Slot slot : slots.values()) {
            if (slot.holdsStuckThreadOf(test)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code test} is quarantined and its backed-off cadence says to skip a tick at {@code now}. */
    public boolean backingOff(String test, Instant now) {
        Quarantine quarantine = quarantines.get(test);
        return quarantine != null && quarantine.backingOff(now);
    }

    public int running() {
        return running.size();
    }

    @Override
    public int stuckThreads() {
        int count = 0;
        for (Slot slot : slots.values()) {
            count += slot.stuckThreads();
        }
        return count;
    }

    @Override
    public int up() {
        int count = 0;
        for (Slot slot : slots.values()) {
            count += slot.up() ? 1 : 0;
        }
        return count;
    }

    public void stopRetrying() {
        stopping = true;
        slots.values().forEach(slot -> slot.send(new Message.StopRetrying()));
    }

    /** Waits until every run handed out is recorded, at most {@code grace}; whether they were. */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        return Drain.await(running, grace);
    }

    /** Records every run still going as {@code aborted}, with {@code why}, and interrupts its thread. */
    public void abortRunning(String why) {
        slots.values().forEach(slot -> slot.abortAll(why));
        for (Run run : List.copyOf(running)) {
            run.complete(RunRecords.lost(run.test, run.planned, run.handed, Outcome.ABORTED, why));
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        slots.values().forEach(Slot::stop);
        releasedSlots.forEach(Slot::stop);
    }

    // ---- quarantine ----

    private final Map<String, Quarantine> quarantines = new ConcurrentHashMap<>();
    /** The slots of released tests, whose retired workers are stopped with the others at close. */
    private final Set<Slot> releasedSlots = ConcurrentHashMap.newKeySet();

    /**
     * A worker ended or was recycled for stuck threads: {@code suspects} are the tests whose runs it held (or whose
     * threads were stuck), {@code culprit} the one known to have caused it, or null. {@link Blame} decides whom it
     * counts against; a test it proves clears the co-suspects whose quarantine rested on incidents they shared.
     */
    private void blame(List<String> suspects, String culprit, String how) {
        Instant now = Instant.now();
        Blame.Verdict verdict = blame.incident(now, suspects, culprit);
        for (String test : verdict.counted()) {
            Quarantine quarantine = quarantines.computeIfAbsent(test, name -> new Quarantine());
            if (quarantine.incident(now, verdict.reached().contains(test))) {
                console.warn(String.format("Quarantined %s: it ended or wedged its worker %d times within an hour "
                        + "(last: %s). It runs alone in a worker of its own from now on, and its cadence backs off "
                        + "while it keeps doing so.", test, settings.quarantineAfter(), how));
                count(m -> m.quarantined(test, true));
            }
        }
        verdict.cleared().forEach((test, shared) -> {
            Quarantine quarantine = quarantines.get(test);
            if (quarantine != null && quarantine.releaseNow()) {
                released(test, String.format("Released %s from quarantine: %s ended or wedged its worker on its own "
                        + "(%s), so the %d incident%s they shared within an hour count%s against %s only. It runs in "
                        + "the shared worker again.", test, culprit, how, shared, shared == 1 ? "" : "s",
                        shared == 1 ? "s" : "", culprit));
            }
        });
    }

    /**
     * A test quarantined only for incidents it shared with other tests (a worker that halted while it held several
     * runs), which then ran alone {@link Blame#WINDOW} without one, was the neighbour, not the cause: it goes back
     * to the shared worker, and its own worker is stopped.
     */
    private void releaseIfCleared(String test, Instant now) {
        Quarantine quarantine = quarantines.get(test);
        if (quarantine == null || !quarantine.isolated || blame.proven(test) || !quarantine.release(now)) {
            return;
        }
        released(test, String.format("Released %s from quarantine: it ran alone for %s without ending or wedging its "
                + "worker, and every incident it was blamed for held other tests too.", test,
                Durations.format(Blame.WINDOW)));
    }

    /**
     * {@code test} no longer runs alone: says {@code why}, and its own worker's runs go on there, within the grace,
     * while new ones go to the shared worker.
     */
    private void released(String test, String why) {
        console.info(why);
        count(m -> m.quarantined(test, false));
        Slot alone = slots.remove(test);
        if (alone != null) {
            releasedSlots.add(alone);
            alone.release("its test went back to the shared worker");
        }
    }

    /** Whether {@code test} runs alone in a worker of its own. */
    public boolean quarantined(String test) {
        Quarantine quarantine = quarantines.get(test);
        return quarantine != null && quarantine.isolated;
    }

    /** {@code /api/workers}: the webhook URL and every worker, the shared one first. */
    public Views.WorkersView view() {
        List<Views.WorkerView> views = new ArrayList<>();
        for (Slot slot : slots.values().stream().sorted(java.util.Comparator.comparing(
                (Slot s) -> s.test != null).thenComparing(s -> s.test == null ? "" : s.test)).toList()) {
            slot.workers().forEach(worker -> views.add(worker.view()));
        }
        return new Views.WorkersView(webhooks, views);
    }

    /** A run ended: a pass ends a quarantined test's back-off. */
    private void ran(RunRecord record) {
        Quarantine quarantine = quarantines.get(record.test());
        if (quarantine != null && record.outcome().succeeded()) {
            quarantine.passed();
        }
    }

    // ---- health ----

    private void watch() {
        try {
            routes.sweep();
            for (Slot slot : List.copyOf(slots.values())) {
                slot.watch();
            }
            for (Slot slot : List.copyOf(releasedSlots)) {
                slot.watch(); // kills a retired worker as soon as its runs are recorded
                if (slot.workers().isEmpty()) {
                    releasedSlots.remove(slot);
                }
            }
        }
        catch (RuntimeException | Error e) {
            console.warn("Watching the workers failed (the next look is in a second): " + e);
        }
    }


    /**
     * Where runs of the main worker (or of one quarantined test) go: the current worker, the runs waiting for one
     * while it starts, and the workers being retired.
     */
    private final class Slot {

        private final String test;
        private final List<Run> waiting = new ArrayList<>();
        private volatile Worker current;
        /** The worker starting to replace {@link #current} in a recycle, which keeps taking runs until it is up. */
        private Worker successor;
        private String successorFor;
        private boolean successorInit;
        private boolean successorHello;
        /**
         * Whether the recycle is decided: a successor started ahead of one that is coming ({@link #prepare}) waits,
         * up and idle, for the decision, and then takes the runs at once.
         */
        private boolean successorDecided;
        private long runsSeen;
        private long runsSeenNanos;
        private final List<Worker> retired = new ArrayList<>();
        private boolean starting;
        private int restarts;
        /** A quarantined test's slot after its release: runs handed to it go to the shared worker. */
        private boolean released;

        Slot(String test) {
            this.test = test;
        }

        /** A quarantined test's worker has a webhook port of its own; shared workers share theirs when several. */
        private Message.Init init(boolean discover) {
            return new Message.Init(test != null ? alone(init.selection()) : sharedSelection, discover,
                    init.defaults(), test == null && shared.size() > 1);
        }

        private Worker newWorker() {
            Worker worker = new Worker(numbers.incrementAndGet(), test, events);
            slotOf.put(worker, this);
            return worker;
        }

        /** The runs its workers hold and the runs waiting for one. */
        int load() {
            Worker worker = current;
            int held = worker == null ? 0 : worker.held();
            synchronized (this) {
                return held + waiting.size();
            }
        }

        void hand(Run run) {
            Worker worker;
            synchronized (this) {
                worker = released ? null : current;
                // A worker still starting takes runs too: they follow its Init on the channel, in order.
                if (!released && (worker == null || worker.ended() || worker.retiring() != null)) {
                    waiting.add(run);
                    if (successor == null) { // else the successor takes the waiting runs when it is up
                        ensureStarting(Duration.ZERO);
                    }
                    return;
                }
            }
            if (worker == null) { // its test went back to the shared worker
                shared().hand(run);
                return;
            }
            run.worker = worker;
            if (!worker.send(run.id, run.pending())) {
                boolean forward;
                synchronized (this) {
                    forward = released;
                    if (!forward) {
                        waiting.add(run);
                    }
                }
                if (forward) {
                    shared().hand(run);
                }
            }
        }

        void abortAll(String why) {
            Worker worker = current;
            if (worker != null) {
                worker.abortAll(why);
            }
        }

        void send(Message message) {
            Worker worker = current;
            if (worker != null) {
                worker.send(message);
            }
        }

        /**
         * Its test went back to the shared worker ({@code why}): the runs waiting here go there, and its workers are
         * retired, their runs going on within the grace.
         */
        void release(String why) {
            List<Run> handOver;
            List<Worker> workers;
            synchronized (this) {
                released = true;
                handOver = List.copyOf(waiting);
                waiting.clear();
                workers = new ArrayList<>();
                if (current != null) {
                    workers.add(current);
                }
                if (successor != null) {
                    workers.add(successor);
                }
                current = null;
                successor = null;
            }
            workers.forEach(worker -> retire(worker, why));
            handOver.forEach(this::hand);
        }

        /** Starts a worker after {@code delay}, unless one is starting. */
        synchronized void ensureStarting(Duration delay) {
            if (starting || closed || released) {
                return;
            }
            starting = true;
            timer.schedule(() -> startNow(false), delay.toNanos(), TimeUnit.NANOSECONDS);
        }

        void startNow(boolean discover) {
            synchronized (this) {
                starting = true;
            }
            Worker worker = newWorker();
            try {
                worker.connect(starter.start(worker));
                worker.send(init(discover));
            }
            catch (IOException | RuntimeException e) {
                if (!discover) { // the first worker's failure is the daemon's to report, once
                    console.warn("Starting " + worker.describe() + " failed: " + e.getMessage());
                }
                count(m -> m.restarted("crash"));
                synchronized (this) {
                    starting = false;
                    restarts++;
                }
                if (discover) {
                    catalog.completeExceptionally(e);
                    return;
                }
                ensureStarting(backoff());
                return;
            }
            List<Run> handOver;
            boolean gone;
            synchronized (this) {
                gone = released;
                if (!gone) {
                    current = worker;
                }
                starting = false;
                handOver = List.copyOf(waiting);
                waiting.clear();
            }
            if (gone) { // released while it started
                retire(worker, "its test went back to the shared worker");
            }
            handOver.forEach(this::hand);
        }

        private Duration backoff() {
            Duration initial = settings.restartBackoff();
            int doublings = Math.max(0, Math.min(restarts - 1, 20)); // the first restart waits the back-off itself
            return min(initial.multipliedBy(1L << Math.min(doublings, 16)), settings.maxRestartBackoff());
        }

        /** The current worker ended (or its start failed): runs wait for the next. */
        void ended(Worker worker, String reason, String how) {
            boolean wasCurrent;
            boolean successorDied = false;
            boolean successorPending;
            synchronized (this) {
                retired.remove(worker);
                if (successor == worker) {
                    successor = null;
                    successorDied = true;
                }
                wasCurrent = current == worker;
                if (wasCurrent) {
                    current = null;
                }
                successorPending = successor != null;
                if (wasCurrent && successorPending && !successorDecided) { // started ahead: it takes over now
                    successorDecided = true;
                    successorFor = how;
                }
            }
            if (closed) {
                return;
            }
            if (successorDied) { // a recycle's successor died starting; the worker it was to replace goes on
                console.warn(capitalized(worker.describe()) + " ended while starting: " + how);
                count(m -> m.restarted(reason));
                return;
            }
            if (!wasCurrent) {
                return; // a planned end: a stop, or a recycle counted when it was decided
            }
            count(m -> m.restarted(reason));
            console.warn(capitalized(worker.describe()) + " ended: " + how + "; a new one takes over");
            if (successorPending) {
                promote(successorOrNull(), false, false); // the successor takes the waiting runs when it is up
                return;
            }
            synchronized (this) {
                // A worker that lived a while ends the streak: the back-off starts over.
                restarts = worker.nanosSinceStart() > TimeUnit.MINUTES.toNanos(1) ? 1 : restarts + 1;
            }
            ensureStarting(backoff());
        }

        /**
         * Replaces the current worker. One that still answers keeps taking runs while its successor starts, and is
         * retired when the successor is up, so no run waits for a JVM to start; one that does not answer is retired
         * at once. A retired worker gets the grace for its runs, then is killed.
         */
        void recycle(Worker worker, String reason, String why, boolean answers) {
            Worker prepared;
            synchronized (this) {
                if (current != worker || worker.retiring() != null || successor != null && successorDecided) {
                    return;
                }
                prepared = successor;
                if (prepared != null) {
                    successorDecided = true;
                    successorFor = why;
                }
                if (!answers) {
                    current = null;
                }
            }
            console.warn("Recycling " + worker.describe() + ": " + why + (prepared == null ? ""
                    : "; " + prepared.describe() + ", started ahead of it, takes over"));
            count(m -> m.restarted(reason));
            List<String> stuckTests = stuckTests(worker);
            blame(stuckTests, stuckTests.size() == 1 ? stuckTests.get(0) : null, why);
            if (prepared != null) {
                if (!answers) {
                    retire(worker, why);
                }
                promote(prepared, false, false);
                return;
            }
            if (!answers) {
                retire(worker, why);
                ensureStarting(Duration.ZERO);
                return;
            }
            Worker next = newWorker();
            try {
                startSuccessor(next, why, true);
            }
            catch (IOException | RuntimeException e) {
                console.warn("Starting " + next.describe() + " failed: " + e.getMessage() + "; "
                        + worker.describe() + " is retired all the same");
                synchronized (this) {
                    if (current == worker) {
                        current = null;
                    }
                }
                retire(worker, why);
                ensureStarting(backoff());
                return;
            }
            promote(next, true, false);
        }

        /**
         * Starts the successor of {@code worker} ahead of a recycle that is {@code coming}, so that at the decision it
         * is already up and takes the runs at once, instead of starting then beside a busy worker on the same cores.
         * Until then it only waits; one that dies is started again at the decision.
         */
        void prepare(Worker worker, String coming) {
            synchronized (this) {
                if (closed || current != worker || worker.retiring() != null || successor != null) {
                    return;
                }
            }
            Worker next = newWorker();
            console.info("Starting " + next.describe() + " ahead of recycling " + worker.describe() + ": " + coming);
            try {
                startSuccessor(next, null, false);
            }
            catch (IOException | RuntimeException e) {
                console.warn("Starting " + next.describe() + " failed: " + e.getMessage() + "; it is started again "
                        + "when " + worker.describe() + " is recycled");
                return;
            }
            promote(next, true, false);
        }

        /** {@code next} becomes the successor, connected and sent its Init; one that fails to start is not. */
        private void startSuccessor(Worker next, String why, boolean decided) throws IOException {
            synchronized (this) {
                successor = next;
                successorFor = why;
                successorInit = false;
                successorHello = false;
                successorDecided = decided;
            }
            try {
                next.connect(starter.start(next));
                next.send(init(false));
            }
            catch (IOException | RuntimeException e) {
                synchronized (this) {
                    if (successor == next) {
                        successor = null;
                    }
                }
                throw e;
            }
        }

        private synchronized Worker successorOrNull() {
            return successor;
        }

        /**
         * The successor was sent its Init ({@code init}) or said hello ({@code hello}): once both, it takes the runs
         * from now on (so none reaches it before its Init), and the worker it replaces is retired.
         */
        void promote(Worker worker, boolean init, boolean hello) {
            Worker old;
            String why;
            List<Run> handOver;
            synchronized (this) {
                if (worker == null || successor != worker) {
                    return;
                }
                successorInit |= init;
                successorHello |= hello;
                if (!successorInit || !successorHello || !successorDecided) {
                    return;
                }
                old = current;
                why = successorFor;
                current = worker;
                successor = null;
                handOver = List.copyOf(waiting);
                waiting.clear();
            }
            if (old != null && old != worker) {
                retire(old, why);
            }
            handOver.forEach(this::hand);
        }

        private void retire(Worker worker, String why) {
            synchronized (this) {
                worker.retire(why);
                retired.add(worker);
            }
            worker.send(new Message.StopRetrying());
            long graceMillis = settings.grace().toMillis();
            timer.schedule(worker::kill, worker.held() == 0 ? 0 : graceMillis, TimeUnit.MILLISECONDS);
        }

        void watch() {
            Worker worker = current;
            synchronized (this) {
                for (Worker old : List.copyOf(retired)) {
                    if (old.held() == 0 && !old.ended()) {
                        old.kill();
                    }
                }
            }
            if (worker == null || worker.ended() || !worker.up()) {
                return;
            }
            worker.beat();
            Message.Health health = worker.health();
            List<Message.Stuck> stuck = worker.stuck();
            long now = Instant.now().toEpochMilli() * 1000;
            if (stuck.size() >= settings.maxStuckThreads()) {
                recycle(worker, "stuck", String.format("it holds %d stuck threads (%s = %d)", stuck.size(),
                        Constants.WORKER_MAX_STUCK_THREADS, settings.maxStuckThreads()), true);
            }
            else if (stuck.stream().anyMatch(t -> now - t.sinceMicros() > settings.maxStuckTime().toNanos() / 1000)) {
                recycle(worker, "stuck", String.format("a thread of %s has been stuck longer than %s (%s)",
                        stuck.get(0).test(), Durations.format(settings.maxStuckTime()),
                        Constants.WORKER_MAX_STUCK_TIME), true);
            }
            else if (worker.nanosSinceHealth() > UNRESPONSIVE.toNanos()) {
                recycle(worker, "stuck", "it has not answered for " + Durations.format(UNRESPONSIVE), false);
            }
            else if (health != null && health.heapAfterGc() > 0
                    && health.heapAfterGc() > settings.maxHeapRatio() * health.heapMax()) {
                recycle(worker, "heap", String.format("its heap after GC is %d MiB of %d MiB (%s = %s)",
                        health.heapAfterGc() >> 20, health.heapMax() >> 20, Constants.WORKER_MAX_HEAP_RATIO,
                        settings.maxHeapRatio()), true);
            }
            else if (health != null && health.openFiles() > 0 && health.maxFiles() > 0
                    && health.openFiles() > settings.maxFilesRatio() * health.maxFiles()) {
                recycle(worker, "files", String.format("it has %d files open of at most %d (%s = %s)",
                        health.openFiles(), health.maxFiles(), Constants.WORKER_MAX_FILES_RATIO,
                        settings.maxFilesRatio()), true);
            }
            else if (settings.recycleAfterRuns() > 0 && worker.runsHanded() >= settings.recycleAfterRuns()) {
                recycle(worker, "recycle", String.format("it took %d runs (%s)", worker.runsHanded(),
                        Constants.WORKER_RECYCLE_AFTER), true);
            }
            else if (!settings.recycleAfterTime().isZero()
                    && worker.nanosSinceStart() > settings.recycleAfterTime().toNanos()) {
                recycle(worker, "recycle", String.format("it ran for %s (%s)",
                        Durations.format(settings.recycleAfterTime()), Constants.WORKER_RECYCLE_AFTER), true);
            }
            else {
                String coming = coming(worker, stuck, now);
                if (coming != null) {
                    prepare(worker, coming);
                }
            }
        }

        /**
         * A recycle that a clock will decide within {@link #SUCCESSOR_LEAD}: a thread stuck nearly
         * {@code max-stuck-time}, or {@code recycle-after} nearly reached at the current rate of runs. (Heap, files
         * and the count of stuck threads may stay below their bounds for ever: no successor waits for those.)
         */
        private String coming(Worker worker, List<Message.Stuck> stuck, long nowMicros) {
            long lead = SUCCESSOR_LEAD.toNanos();
            long runs = worker.runsHanded();
            long nanos = System.nanoTime();
            double perNano = runsSeenNanos == 0 || nanos <= runsSeenNanos ? 0
                    : Math.max(0, runs - runsSeen) / (double) (nanos - runsSeenNanos);
            runsSeen = runs;
            runsSeenNanos = nanos;
            long stuckLimit = settings.maxStuckTime().toNanos();
            for (Message.Stuck thread : stuck) {
                if ((nowMicros - thread.sinceMicros()) * 1000 > stuckLimit - lead) {
                    return "a thread of " + thread.test() + " is stuck, nearly " + Durations.format(
                            settings.maxStuckTime()) + " (" + Constants.WORKER_MAX_STUCK_TIME + ")";
                }
            }
            if (settings.recycleAfterRuns() > 0 && runs + perNano * lead >= settings.recycleAfterRuns()) {
                return "it nears " + settings.recycleAfterRuns() + " runs (" + Constants.WORKER_RECYCLE_AFTER + ")";
            }
            if (!settings.recycleAfterTime().isZero()
                    && worker.nanosSinceStart() > settings.recycleAfterTime().toNanos() - lead) {
                return "it nears " + Durations.format(settings.recycleAfterTime()) + " ("
                        + Constants.WORKER_RECYCLE_AFTER + ")";
            }
            return null;
        }

        boolean holdsStuckThreadOf(String name) {
            Worker worker = current;
            if (worker != null && worker.holdsStuckThreadOf(name)) {
                return true;
            }
            synchronized (this) {
                return retired.stream().anyMatch(old -> old.holdsStuckThreadOf(name));
            }
        }

        int stuckThreads() {
            Worker worker = current;
            int count = worker == null ? 0 : worker.stuck().size();
            synchronized (this) {
                for (Worker old : retired) {
                    count += old.stuck().size();
                }
            }
            return count;
        }

        /** Its current worker and those being retired. */
        synchronized List<Worker> workers() {
            List<Worker> all = new ArrayList<>();
            if (current != null) {
                all.add(current);
            }
            if (successor != null) {
                all.add(successor);
            }
            all.addAll(retired);
            return all;
        }

        boolean up() {
            Worker worker = current;
            return worker != null && worker.up();
        }

        List<Message.MeterData> meters() {
            Worker worker = current;
            Message.Health health = worker == null ? null : worker.health();
            return health == null ? List.of() : health.meters();
        }

        void stop() {
            List<Worker> all = new ArrayList<>();
            synchronized (this) {
                if (current != null) {
                    all.add(current);
                }
                if (successor != null) {
                    all.add(successor);
                }
                all.addAll(retired);
                current = null;
                successor = null;
            }
            for (Worker worker : all) {
                worker.retire("the daemon stops");
                worker.send(new Message.Stop());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Worker worker : all) {
                try {
                    worker.awaitEnd(deadline - System.nanoTime());
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                worker.kill();
            }
        }
    }

    private static List<String> stuckTests(Worker worker) {
        return worker.stuck().stream().map(Message.Stuck::test).distinct().toList();
    }

    /** The tests' meters in every live worker, for the supervisor's scrape. */
    @Override
    public List<List<Message.MeterData>> meters() {
        List<List<Message.MeterData>> meters = new ArrayList<>();
        for (Slot slot : slots.values()) {
            meters.add(slot.meters());
        }
        return meters;
    }

    private final Worker.Events events = new Worker.Events() {
        @Override
        public void catalog(Worker worker, Message.Catalog found) {
            catalog.complete(found);
        }

        @Override
        public void webhooks(Worker worker, String baseUrl) {
            webhooks = baseUrl;
        }

        @Override
        public void up(Worker worker, Message.Hello hello) {
            Slot slot = slotOf.get(worker);
            if (slot != null) {
                slot.promote(worker, false, true);
            }
            if (metrics != null) { // once the daemon runs: discovery, --list and bad usage print nothing of it
                announce(worker, hello);
            }
        }

        @Override
        public void ended(Worker worker, String reason, String how) {
            if (!catalog.isDone()) {
                catalog.completeExceptionally(new IOException("The worker ended before it reported what it "
                        + "discovered: " + how));
            }
            if (worker.retiring() == null && !"recycle".equals(reason)) {
                blame(worker.holding(), culprit(worker), how);
            }
            Message.Health last = worker.health();
            if (last != null) {
                count(m -> m.workerEnded(last.meters()));
            }
            routes.ended(worker);
            Slot slot = slotOf.remove(worker);
            if (slot != null) {
                slot.ended(worker, reason, how);
            }
        }

        @Override
        public void routing(Worker worker, Message message) {
            routes.received(worker, message);
        }
    };

    /**
     * The test known to have ended a worker: the one whose run called {@code System.exit}, else the one whose run it
     * held when it held one only (always so in a quarantined test's own worker); null when it cannot be told.
     */
    private static String culprit(Worker worker) {
        if (worker.exitingTest() != null) {
            return worker.exitingTest();
        }
        List<String> holding = worker.holding();
        return holding.size() == 1 ? holding.get(0) : null;
    }

    /** One run handed out, until its one record. */
    private final class Run {

        final long id;
        final ScheduledTest test;
        final Instant planned;
        final String runId;
        final Instant handed = Instant.now();
        private final Consumer<RunRecord> onRecord;
        private final java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();
        volatile Worker worker;

        Run(long id, ScheduledTest test, Instant planned, String runId, Consumer<RunRecord> onRecord) {
            this.id = id;
            this.test = test;
            this.planned = planned;
            this.runId = runId;
            this.onRecord = onRecord;
        }

        Worker.Pending pending() {
            return new Worker.Pending(test, planned, runId, this::complete, handed);
        }

        void complete(RunRecord record) {
            if (!recorded.compareAndSet(false, true)) {
                return;
            }
            count(m -> m.inFlight().decrementAndGet());
            if (planned != null) {
                long lateness = Duration.between(planned, record.start()).toNanos();
                count(m -> m.lateness(lateness));
            }
            try {
                ran(record);
                onRecord.accept(record);
            }
            finally {
                synchronized (running) {
                    running.remove(this);
                    running.notifyAll();
                }
            }
        }
    }

    /**
     * A quarantined test's worker receives its webhooks on a port of its own (any free one): the shared worker keeps
     * {@value Constants#WEBHOOKS_PORT}, and the test's {@code WebhookWaiter.url()} names the one it got.
     */
    private static Message.Selection alone(Message.Selection selection) {
        return withWebhookPort(selection, "0");
    }

    /** {@code selection} with {@code perpetual.webhooks.port} set on its command line. */
    private static Message.Selection withWebhookPort(Message.Selection selection, String port) {
        Map<String, String> config = new java.util.LinkedHashMap<>(selection.config());
        config.put(Constants.WEBHOOKS_PORT, port);
        return new Message.Selection(selection.scanClassPath(), selection.scanRoots(), selection.packages(),
                selection.classes(), selection.methods(), selection.tests(), selection.includeTags(),
                selection.excludeTags(), config,
                selection.configResources());
    }

    /** A port free now, for the shared workers to bind together; a port taken meanwhile fails their bind, said so. */
    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException("Finding a free port for the workers' webhooks failed", e);
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

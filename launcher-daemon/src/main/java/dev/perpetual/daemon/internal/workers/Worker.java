package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.RunRecords;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.internal.records.Views;
import dev.perpetual.spi.Outcome;
import dev.perpetual.worker.internal.Message;
import org.apiguardian.api.API;

/**
 * One worker as the supervisor sees it, whether a JVM of its own ({@link ForkedLink}) or, unprotected, a runtime in
 * the supervisor's JVM ({@link InProcessLink}): the runs it holds, its stuck threads, its last health, and how it
 * ended. Every run it was handed ends in exactly one record, whatever happens to it.
 */
@API(status = INTERNAL, since = "0.1")
public final class Worker {

    /** What a worker tells the pool. */
    interface Events {

        void catalog(Worker worker, Message.Catalog catalog);

        void webhooks(Worker worker, String baseUrl);

        /** The worker said hello: its pid, its JUnit Platform and its heap. */
        void up(Worker worker, Message.Hello hello);

        /** The worker ended ({@code reason}: {@code exit}, {@code oom}, {@code crash}, or the recycle's). */
        void ended(Worker worker, String reason, String how);

        /**
         * A webhook routing message ({@link Message.Expect}, {@link Message.Unexpect}, {@link Message.Route}) from a
         * worker that shares the webhook port.
         */
        default void routing(Worker worker, Message message) {
        }
    }

    /** How messages reach the worker. */
    public interface Link {

        void send(Message message) throws IOException;

        /** Ends the worker now (a JVM is killed). */
        void kill();

        /** A description for messages, such as {@code worker 2 (pid 1234)}. */
        String describe();

        /** Asks for a health beat where the worker does not send its own. */
        default void beat() {
        }
    }

    /** One run handed to the worker and not yet recorded. */
    record Pending(ScheduledTest test, Instant planned, String runId, Consumer<RunRecord> onRecord, Instant handed) {
    }

    final int number;
    /** The test this worker is dedicated to (quarantine), or null. */
    final String dedicatedTo;
    private final Events events;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, Message.Stuck> stuck = new ConcurrentHashMap<>();
    private volatile Link link;
    private volatile Message.Health health;
    private volatile long healthNanos = System.nanoTime();
    private volatile Message.Hello hello;
    private volatile String exiting;
    private volatile String exitingTest;
    /** The tests whose runs it held when it ended. */
    private volatile List<String> heldAtEnd = List.of();
    private volatile boolean ended;
    private final java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
    private volatile String retiring;
    private volatile long runsHanded;
    private final long startNanos = System.nanoTime();

    Worker(int number, String dedicatedTo, Events events) {
        this.number = number;
        this.dedicatedTo = dedicatedTo;
        this.events = events;
    }

    void connect(Link link) {
        this.link = link;
    }

    /** Hands {@code run} over; false when the worker is gone (the run is then not held). */
    boolean send(long id, Pending run) {
        if (ended) {
            return false;
        }
        pending.put(id, run);
        runsHanded++;
        try {
            link.send(run.test().run(id, run.runId()));
            return true;
        }
        catch (IOException e) {
            pending.remove(id);
            return false;
        }
    }

    void send(Message message) {
        Link current = link;
        if (current != null && !ended) {
            try {
                current.send(message);
            }
            catch (IOException e) {
                // the worker is going; its end is handled where the channel is read
            }
        }
    }

    /** A message from the worker; called on one thread (the channel's reader) or the worker's own. */
    void received(Message message) {
        if (message instanceof Message.Recorded recorded) {
            Pending run = pending.remove(recorded.id());
            if (run != null) {
                run.onRecord().accept(RunRecords.of(run.test(), run.planned(), recorded.run()));
            }
        }
        else if (message instanceof Message.Health beat) {
            health = beat;
            healthNanos = System.nanoTime();
        }
        else if (message instanceof Message.Stuck thread) {
            if (thread.alive()) {
                stuck.put(thread.thread(), thread);
            }
            else {
                stuck.remove(thread.thread());
            }
        }
        else if (message instanceof Message.Hello up) {
            hello = up;
            healthNanos = System.nanoTime();
            events.up(this, up);
        }
        else if (message instanceof Message.Catalog catalog) {
            events.catalog(this, catalog);
        }
        else if (message instanceof Message.WebhooksServed served) {
            events.webhooks(this, served.baseUrl());
        }
        else if (message instanceof Message.Expect || message instanceof Message.Unexpect
                || message instanceof Message.Route) {
            events.routing(this, message);
        }
        else if (message instanceof Message.Exiting exit) {
            exiting = exit.how();
            exitingTest = exit.test();
        }
    }

    /**
     * The worker is gone: each run it held is recorded {@code error} with {@code how}, naming the run, and the pool
     * is told. Called once.
     */
    void ended(String reason, String how) {
        synchronized (this) {
            if (ended) {
                return;
            }
            heldAtEnd = holding();
            ended = true;
        }
        stuck.clear();
        for (Map.Entry<Long, Pending> held : List.copyOf(pending.entrySet())) {
            Pending run = pending.remove(held.getKey());
            if (run != null) {
                Outcome outcome = retiring != null ? Outcome.ABORTED : Outcome.ERROR;
                run.onRecord().accept(RunRecords.lost(run.test(), run.planned(), run.handed(), outcome,
                        how + (retiring != null ? "" : ", while running " + run.test().name())));
            }
        }
        try {
            events.ended(this, reason, how);
        }
        finally {
            end.countDown();
        }
    }

    /** Waits until it ended, or {@code nanos} passed; whether it ended. */
    boolean awaitEnd(long nanos) throws InterruptedException {
        return end.await(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Stops handing this worker new runs: {@code why} it is being recycled. */
    void retire(String why) {
        retiring = why;
    }

    String retiring() {
        return retiring;
    }

    boolean ended() {
        return ended;
    }

    boolean up() {
        return !ended && hello != null;
    }

    void beat() {
        Link current = link;
        if (current != null && !ended) {
            current.beat();
        }
    }

    void kill() {
        Link current = link;
        if (current != null) {
            current.kill();
        }
    }

    /** What {@code System.exit} in the worker reported about its caller, or null. */
    String exiting() {
        return exiting;
    }

    /** The test whose run called {@code System.exit}, when the worker could tell, or null. */
    String exitingTest() {
        return exitingTest;
    }

    Message.Hello hello() {
        return hello;
    }

    Message.Health health() {
        return health;
    }

    long nanosSinceHealth() {
        return System.nanoTime() - healthNanos;
    }

    /** What {@code /api/workers} shows of it. */
    Views.WorkerView view() {
        Message.Hello said = hello;
        Message.Health beat = health;
        String state = retiring != null ? "retiring" : said == null ? "starting" : "up";
        return new Views.WorkerView(number, said == null ? null : said.pid(), state, dedicatedTo, runsHanded, held(),
                stuck.size(), beat == null || beat.heapAfterGc() < 0 ? null : beat.heapAfterGc() >> 20,
                beat == null ? null : beat.heapMax() >> 20, beat == null || beat.openFiles() < 0 ? null
                        : beat.openFiles(), beat == null || beat.maxFiles() < 0 ? null : beat.maxFiles());
    }

    long nanosSinceStart() {
        return System.nanoTime() - startNanos;
    }

    long runsHanded() {
        return runsHanded;
    }

    int held() {
        return pending.size();
    }

    /** The tests whose runs it holds now. */
    List<String> holding() {
        if (ended) {
            return heldAtEnd;
        }
        // Each test once, however many of its runs it holds (Overlap.ALLOW): one incident is one incident.
        return pending.values().stream().map(run -> run.test().name()).distinct().toList();
    }

    /** Its stuck threads now. */
    List<Message.Stuck> stuck() {
        return List.copyOf(stuck.values());
    }

    boolean holdsStuckThreadOf(String test) {
        for (Message.Stuck thread : stuck.values()) {
            if (thread.test().equals(test)) {
                return true;
            }
        }
        return false;
    }

    /** Records run {@code id} aborted in the worker (it answers with the record). */
    void abortAll(String why) {
        for (Long id : List.copyOf(pending.keySet())) {
            send(new Message.Abort(id, why));
        }
    }

    String describe() {
        Link current = link;
        return current == null ? "worker " + number : current.describe();
    }
}

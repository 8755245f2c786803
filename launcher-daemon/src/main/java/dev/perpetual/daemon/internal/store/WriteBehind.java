package dev.perpetual.daemon.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.perpetual.daemon.internal.records.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Writes records off the runs' threads: {@link #offer} only queues; one thread writes what is queued in batches of
 * up to {@value #BATCH} records, in order, a batch gathering for at most {@value #LINGER_MILLIS} ms after its first
 * record (a transaction per run would cost the database far more than the run). While the database fails, the batch at the head is tried again (every
 * second at first, backing off to {@value #RETRY_MAX_SECONDS} s) and new records wait in the bounded queue; a record
 * that finds it full is dropped, counted in {@code perpetual_history_dropped_total}, and said once per episode.
 * {@code perpetual_history_write_seconds} times each batch; {@code perpetual_history_queue} is what waits.
 */
final class WriteBehind implements AutoCloseable {

    /** A batch's write: all of it or none. */
    interface Batch {
        void write(List<RunRecord> records) throws Exception;
    }

    static final int BATCH = 500;
    static final long LINGER_MILLIS = 100;
    static final int CAPACITY_DEFAULT = 100_000;
    static final long RETRY_MAX_SECONDS = 10;

    private final BlockingQueue<RunRecord> queue;
    private final Batch batch;
    private final Consumer<String> warn;
    private final Counter dropped;
    private final Timer writes;
    private final Thread writer;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Duration closeGrace;
    private final List<RunRecord> pending = new ArrayList<>();
    private volatile int pendingSize;
    private volatile String failure;
    private volatile Instant failingSince;
    private volatile boolean dropping;

    WriteBehind(int capacity, Batch batch, MeterRegistry registry, Consumer<String> warn, Duration closeGrace) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.warn = warn;
        this.closeGrace = closeGrace;
        this.dropped = Counter.builder("perpetual.history.dropped")
                .description("Run records the run store dropped: its buffer was full while the database was away")
                .register(registry);
        this.writes = Timer.builder("perpetual.history.write")
                .description("Time to write one batch of run records to the run store")
                .register(registry);
        Gauge.builder("perpetual.history.queue", this, WriteBehind::queued)
                .description("Run records waiting to be written to the run store")
                .strongReference(true)
                .register(registry);
        this.writer = new Thread(this::loop, "perpetual-history-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code record}, or drops it (counted) when the buffer is full. Never blocks. */
    void offer(RunRecord record) {
        if (!queue.offer(record)) {
            dropped.increment();
            if (!dropping) {
                dropping = true;
                warn.accept(String.format("The run store's buffer is full (%d runs): dropping runs until the "
                        + "database is back; perpetual_history_dropped_total counts them.", queued()));
            }
        }
    }

    /** Records waiting, the batch being written included. */
    int queued() {
        return queue.size() + pendingSize;
    }

    /** Why the store is degraded, or empty. */
    Optional<String> degraded() {
        String cause = failure;
        return cause == null ? Optional.empty() : Optional.of(String.format("the run store has failed since %s (%s); "
                + "%d runs queued, %.0f dropped", failingSince, cause, queued(), dropped.count()));
    }

    /** Lets the batch gather for {@value #LINGER_MILLIS} ms after its first record, or until it is full. */
    private void linger() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        while (pending.size() < BATCH && closing.getCount() != 0) {
            long left = deadline - System.nanoTime();
            RunRecord next;
            try {
                next = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // written now; the next wait ends the loop
                return;
            }
            if (next == null) {
                return;
            }
            pending.add(next);
            queue.drainTo(pending, BATCH - pending.size());
            pendingSize = pending.size();
        }
    }

    private void loop() {
        long retrySeconds = 1;
        while (true) {
            if (pending.isEmpty()) {
                RunRecord first;
                try {
                    first = closing.getCount() == 0 ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException e) {
                    return;
                }
                if (first == null) {
                    if (closing.getCount() == 0) {
                        return;
                    }
                    continue;
                }
                pending.add(first);
                queue.drainTo(pending, BATCH - 1);
                pendingSize = pending.size();
                linger();
            }
            try {
                long start = System.nanoTime();
                batch.write(pending);
                writes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                int written = pending.size();
                pending.clear();
                pendingSize = 0;
                retrySeconds = 1;
                if (failure == null && dropping && queue.remainingCapacity() > BATCH) {
                    dropping = false; // a full buffer without a failure: the database was slower than the runs
                    warn.accept("The run store keeps up again: runs are no longer dropped.");
                }
                if (failure != null) {
                    failure = null;
                    dropping = false;
                    warn.accept(String.format("The run store is back: writing the %d queued runs.", written
                            + queue.size()));
                }
            }
            catch (Exception e) {
                if (failure == null) {
                    failingSince = Instant.now();
                    warn.accept(String.format("The run store failed (%s): runs are queued, up to %d, and written "
                            + "when it is back; the daemon keeps running.", e, queue.remainingCapacity()
                            + queue.size()));
                }
                failure = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                try {
                    if (closing.await(retrySeconds, TimeUnit.SECONDS)) {
                        return; // closing while the database is away: nothing more can be written
                    }
                }
                catch (InterruptedException interrupted) {
                    return;
                }
                retrySeconds = Math.min(RETRY_MAX_SECONDS, retrySeconds * 2);
            }
        }
    }

    /** Writes what is queued, for up to the grace, then stops; says what it could not write. */
    @Override
    public void close() {
        closing.countDown();
        try {
            writer.join(closeGrace.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        int left = queued();
        if (left > 0) {
            warn.accept(String.format("The run store could not be written before shutdown: %d runs are lost.",
                    left));
        }
    }
}

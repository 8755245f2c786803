package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.internal.Sizes;
import dev.perpetual.spi.Outcome;
import org.apiguardian.api.API;

/**
 * The last {@value #CAPACITY} records of one test, newest last, at most {@code maxBytes} of them
 * ({@value Constants#HISTORY_MAX_BYTES}), counts over the daemon's life, and the last failed run (kept after it
 * leaves the ring, so {@code /status} can always link to it).
 */
@API(status = INTERNAL, since = "0.1")
public final class RunHistory {

    public static final int CAPACITY = 100;
    static final long MAX_BYTES_DEFAULT = 8L << 20;

    private final RunRecord[] ring = new RunRecord[CAPACITY];
    private final long[] sizes = new long[CAPACITY];
    private final long maxBytes;
    private int next;
    private int size;
    private long bytes;
    private long runs;
    private long changes;
    private RunRecord lastDecisive;
    private RunRecord lastFailure;

    RunHistory() {
        this(MAX_BYTES_DEFAULT);
    }

    RunHistory(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** {@value Constants#HISTORY_MAX_BYTES}, or its default; a bad value is a problem naming the key. */
    public static long maxBytes(Function<String, Optional<String>> config, List<String> problems) {
        Optional<String> value = config.apply(Constants.HISTORY_MAX_BYTES).map(String::strip);
        if (value.isEmpty()) {
            return MAX_BYTES_DEFAULT;
        }
        OptionalLong parsed = Sizes.parse(value.get());
        if (parsed.isEmpty() || parsed.getAsLong() < 64 * 1024) {
            problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use %s, 64KiB or "
                    + "more (default 8MiB).", Constants.HISTORY_MAX_BYTES, value.get(), Sizes.FORMS));
            return MAX_BYTES_DEFAULT;
        }
        return parsed.getAsLong();
    }

    synchronized void add(RunRecord record) {
        keep(record);
        runs++;
    }

    /** Puts back a record kept before a restart (oldest first): shown, not counted as a run of this daemon. */
    synchronized void restore(RunRecord record) {
        keep(record);
    }

    /**
     * Puts in a record another replica of the fleet made, in start order (not counted as a run of this daemon);
     * says whether it was new.
     */
    synchronized boolean merge(RunRecord record) {
        if (find(record.runId()) != null) {
            return false;
        }
        RunRecord last = size == 0 ? null : ring[Math.floorMod(next - 1, CAPACITY)];
        if (last == null || !record.start().isBefore(last.start())) {
            keep(record);
            return true;
        }
        List<RunRecord> oldestFirst = newestFirst();
        Collections.reverse(oldestFirst);
        int at = oldestFirst.size();
        while (at > 0 && record.start().isBefore(oldestFirst.get(at - 1).start())) {
            at--;
        }
        oldestFirst.add(at, record);
        RunRecord failure = lastFailure;
        Arrays.fill(ring, null);
        Arrays.fill(sizes, 0);
        next = 0;
        size = 0;
        bytes = 0;
        lastDecisive = null;
        lastFailure = null;
        oldestFirst.forEach(this::keep);
        if (failure != null && (lastFailure == null || failure.start().isAfter(lastFailure.start()))) {
            lastFailure = failure;
        }
        return true;
    }

    private void keep(RunRecord record) {
        changes++;
        if (size == CAPACITY) {
            bytes -= sizes[next];
        }
        ring[next] = record;
        sizes[next] = bytes(record);
        bytes += sizes[next];
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        while (bytes > maxBytes && size > 1) { // the oldest go first; the latest run stays, whatever its size
            int oldest = Math.floorMod(next - size, CAPACITY);
            bytes -= sizes[oldest];
            ring[oldest] = null;
            sizes[oldest] = 0;
            size--;
        }
        if (record.outcome() != Outcome.ABORTED) {
            lastDecisive = record;
        }
        if (failed(record)) {
            lastFailure = record;
        }
    }

    /** The kept records, newest first, and how many times they changed before: the two read at once. */
    public synchronized Kept kept() {
        return new Kept(changes, newestFirst());
    }

    /** What {@link #kept()} read: {@code changes} is the same for the same records of one history, and only then. */
    public record Kept(long changes, List<RunRecord> newestFirst) {
    }

    /** The kept records, newest first. */
    public synchronized List<RunRecord> newestFirst() {
        List<RunRecord> records = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            records.add(ring[Math.floorMod(next - i, CAPACITY)]);
        }
        return records;
    }

    synchronized RunRecord last() {
        return size == 0 ? null : ring[Math.floorMod(next - 1, CAPACITY)];
    }

    /** The last record that was not {@code aborted}: what decides whether the test is failing. */
    synchronized RunRecord lastDecisive() {
        return lastDecisive;
    }

    /** The last record that ended in {@code fail}, {@code error} or {@code timeout}, or null. */
    synchronized RunRecord lastFailure() {
        return lastFailure;
    }

    /** The kept record (or the last failure) whose run id is {@code runId}, or null. */
    public synchronized RunRecord find(String runId) {
        for (int i = 1; i <= size; i++) {
            RunRecord record = ring[Math.floorMod(next - i, CAPACITY)];
            if (record.runId().equals(runId)) {
                return record;
            }
        }
        return lastFailure != null && lastFailure.runId().equals(runId) ? lastFailure : null;
    }

    /** About what a record holds on the heap: its texts, two bytes a character, and a fixed part. */
    static long bytes(RunRecord record) {
        long chars = length(record.message()) + length(record.stack()) + length(record.output());
        for (String line : record.logLines()) {
            chars += line.length();
        }
        return 2 * chars + 256L * (1 + record.logLines().size() + record.steps().size() + record.webhooks().size());
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    static boolean failed(RunRecord record) {
        return !record.outcome().succeeded() && record.outcome() != Outcome.ABORTED;
    }

    synchronized long runs() {
        return runs;
    }
}

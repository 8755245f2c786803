package dev.perpetual.daemon.internal;

import java.util.ArrayList;
import java.util.List;

import dev.perpetual.spi.Outcome;

/**
 * The last {@value #CAPACITY} records of one test, newest last, counts over the daemon's life, and the last failed run
 * (kept after it leaves the ring, so {@code /status} can always link to it).
 */
final class RunHistory {

    static final int CAPACITY = 100;

    private final RunRecord[] ring = new RunRecord[CAPACITY];
    private int next;
    private int size;
    private long runs;
    private RunRecord lastDecisive;
    private RunRecord lastFailure;

    synchronized void add(RunRecord record) {
        ring[next] = record;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        runs++;
        if (record.outcome() != Outcome.ABORTED) {
            lastDecisive = record;
        }
        if (failed(record)) {
            lastFailure = record;
        }
    }

    /** The kept records, newest first. */
    synchronized List<RunRecord> newestFirst() {
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
    synchronized RunRecord find(String runId) {
        for (int i = 0; i < size; i++) {
            if (ring[i].runId().equals(runId)) {
                return ring[i];
            }
        }
        return lastFailure != null && lastFailure.runId().equals(runId) ? lastFailure : null;
    }

    static boolean failed(RunRecord record) {
        return !record.outcome().succeeded() && record.outcome() != Outcome.ABORTED;
    }

    synchronized long runs() {
        return runs;
    }
}

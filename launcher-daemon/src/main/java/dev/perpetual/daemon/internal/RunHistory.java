package dev.perpetual.daemon.internal;

import java.util.ArrayList;
import java.util.List;

import dev.perpetual.spi.Outcome;

/** The last {@value #CAPACITY} records of one test, newest last, and counts over the daemon's life. */
final class RunHistory {

    static final int CAPACITY = 100;

    private final RunRecord[] ring = new RunRecord[CAPACITY];
    private int next;
    private int size;
    private long runs;
    private RunRecord lastDecisive;

    synchronized void add(RunRecord record) {
        ring[next] = record;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        runs++;
        if (record.outcome() != Outcome.ABORTED) {
            lastDecisive = record;
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

    synchronized long runs() {
        return runs;
    }
}

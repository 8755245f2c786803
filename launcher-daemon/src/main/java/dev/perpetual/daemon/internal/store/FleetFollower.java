package dev.perpetual.daemon.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.perpetual.daemon.internal.records.RunRecord;

/**
 * Follows the runs other replicas of a fleet write into the shared store, so that each replica's {@code /status}
 * shows the whole fleet's: every {@link #poll} hands on the runs written since the last one by a daemon of another
 * {@code perpetual.location}, each once. Rows are stamped by the database's clock when written; the last
 * {@value #OVERLAP_SECONDS} s are looked at again each time, so a transaction that committed late is not missed. A
 * poll reads the keys of those rows first, and in full only the rows it has not handed on yet: each row is read in
 * full once, however many polls it stays in the overlap.
 */
final class FleetFollower {

    static final long OVERLAP_SECONDS = 10;
    /** The most runs handed on by one poll; the rest wait for the next. */
    static final int MOST = 10_000;
    /** Rows read in full by one statement: 2 parameters each, within SQLite's oldest limit of 999. */
    static final int CHUNK = 250;
    private static final long OVERLAP_US = OVERLAP_SECONDS * 1_000_000;
    private static final int KEYS_MOST = 10 * MOST;

    private final RunRows rows;
    private final String location;
    /** The runs handed on, by key, with when their rows were written: forgotten once out of the overlap. */
    private final Map<Key, Long> seen = new HashMap<>();
    private long cursor = -1;
    private long readInFull;

    /** A run's row in {@code perpetual_runs}: its primary key. */
    private record Key(String test, String runId) {
    }

    /** A row not handed on yet, and when it was written. */
    private record Fresh(Key key, long storedUs) {
    }

    /** {@code location}: this replica's, whose own runs are not followed. */
    FleetFollower(RunRows rows, String location) {
        this.rows = rows;
        this.location = location;
    }

    /** From now on: the runs written before are those the daemon read at start. */
    synchronized void start(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
                ResultSet now = select.executeQuery("SELECT " + rows.clock())) {
            now.next();
            cursor = now.getLong(1);
        }
    }

    /** Hands the runs other replicas wrote since the last poll to {@code others}, oldest first, each once. */
    synchronized void poll(Connection connection, Consumer<RunRecord> others) throws SQLException {
        if (cursor < 0) {
            start(connection);
            return;
        }
        List<Fresh> fresh = new ArrayList<>();
        long newest = cursor;
        try (PreparedStatement select = connection.prepareStatement("SELECT test, run_id, stored_us "
                + "FROM perpetual_runs WHERE stored_us > ? AND location IS NOT NULL AND location <> ? "
                + "ORDER BY stored_us LIMIT " + KEYS_MOST)) {
            select.setLong(1, cursor - OVERLAP_US);
            select.setString(2, location);
            try (ResultSet found = select.executeQuery()) {
                while (fresh.size() < MOST && found.next()) {
                    Key key = new Key(found.getString(1), found.getString(2));
                    long stored = found.getLong(3);
                    if (!seen.containsKey(key)) {
                        fresh.add(new Fresh(key, stored));
                    }
                    newest = Math.max(newest, stored);
                }
            }
        }
        Map<Key, RunRecord> read = readInFull(connection, fresh);
        for (Fresh row : fresh) {
            seen.put(row.key(), row.storedUs());
            RunRecord record = read.get(row.key());
            if (record != null) { // else pruned between the two reads: nothing left to show
                others.accept(record);
            }
        }
        cursor = newest;
        long forget = cursor - OVERLAP_US;
        seen.values().removeIf(stored -> stored < forget);
    }

    /** How many rows polls have read in full, since this follower was made. */
    synchronized long readInFull() {
        return readInFull;
    }

    private Map<Key, RunRecord> readInFull(Connection connection, List<Fresh> fresh) throws SQLException {
        Map<Key, RunRecord> read = new HashMap<>();
        for (int from = 0; from < fresh.size(); from += CHUNK) {
            List<Fresh> chunk = fresh.subList(from, Math.min(fresh.size(), from + CHUNK));
            // stored_us bounds the rows looked at to the chunk's (its index), the keys pick them
            try (PreparedStatement select = connection.prepareStatement("SELECT " + RunRows.COLUMNS
                    + " FROM perpetual_runs WHERE stored_us >= ? AND (test, run_id) IN (VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)")) + ")")) {
                select.setLong(1, chunk.get(0).storedUs());
                int i = 2;
                for (Fresh row : chunk) {
                    select.setString(i++, row.key().test());
                    select.setString(i++, row.key().runId());
                }
                try (ResultSet found = select.executeQuery()) {
                    for (RunRecord record : rows.read(found)) {
                        read.put(new Key(record.test(), record.runId()), record);
                    }
                }
            }
        }
        readInFull += read.size();
        return read;
    }
}

package dev.perpetual.daemon.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.perpetual.daemon.internal.records.RunRecord;

/**
 * Follows the runs other replicas of a fleet write into the shared store, so that each replica's {@code /status}
 * shows the whole fleet's: every {@link #poll} hands on the runs written since the last one by a daemon of another
 * {@code perpetual.location}, each once. Rows are stamped by the database's clock when written; the last
 * {@value #OVERLAP_SECONDS} s are read again each time, so a transaction that committed late is not missed.
 */
final class FleetFollower {

    static final long OVERLAP_SECONDS = 10;
    private static final long OVERLAP_US = OVERLAP_SECONDS * 1_000_000;
    private static final int MOST = 10_000;

    private final RunRows rows;
    private final String location;
    private final Map<String, Long> seen = new HashMap<>();
    private long cursor = -1;

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
        long from = cursor - OVERLAP_US;
        try (PreparedStatement select = connection.prepareStatement("SELECT " + RunRows.COLUMNS + ", stored_us "
                + "FROM perpetual_runs WHERE stored_us > ? AND location IS NOT NULL AND location <> ? "
                + "ORDER BY stored_us LIMIT " + MOST)) {
            select.setLong(1, from);
            select.setString(2, location);
            try (ResultSet found = select.executeQuery()) {
                List<RunRows.Stored> written = rows.readStored(found);
                for (RunRows.Stored row : written) {
                    String key = row.record().test() + '\n' + row.record().runId();
                    if (seen.putIfAbsent(key, row.storedUs()) == null) {
                        others.accept(row.record());
                    }
                    cursor = Math.max(cursor, row.storedUs());
                }
            }
        }
        long forget = cursor - OVERLAP_US;
        seen.values().removeIf(stored -> stored < forget);
    }
}

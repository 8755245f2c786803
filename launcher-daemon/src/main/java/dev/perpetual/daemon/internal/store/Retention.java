package dev.perpetual.daemon.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prunes the run store: runs older than {@code perpetual.history.max-age}, a test's runs beyond its newest
 * {@code perpetual.history.max-runs}, and rollups older than {@code perpetual.history.rollup-age}.
 */
final class Retention {

    private final StoreSettings settings;

    Retention(StoreSettings settings) {
        this.settings = settings;
    }

    /** Prunes as of {@code now}; says how many runs went. */
    int prune(Connection connection, Instant now) throws SQLException {
        int pruned = 0;
        long oldestRun = RunRows.micros(now.minus(settings.maxAge()));
        try (PreparedStatement old = connection.prepareStatement("DELETE FROM perpetual_runs WHERE start_us < ?")) {
            old.setLong(1, oldestRun);
            pruned += old.executeUpdate();
        }
        List<String> crowded = new ArrayList<>();
        try (PreparedStatement tests = connection.prepareStatement(
                "SELECT test FROM perpetual_runs GROUP BY test HAVING COUNT(*) > ?")) {
            tests.setInt(1, settings.maxRuns());
            try (ResultSet rows = tests.executeQuery()) {
                while (rows.next()) {
                    crowded.add(rows.getString(1));
                }
            }
        }
        try (PreparedStatement beyond = connection.prepareStatement("DELETE FROM perpetual_runs WHERE test = ? AND "
                + "start_us < (SELECT start_us FROM perpetual_runs WHERE test = ? ORDER BY start_us DESC "
                + "LIMIT 1 OFFSET ?)")) {
            for (String test : crowded) {
                beyond.setString(1, test);
                beyond.setString(2, test);
                beyond.setInt(3, settings.maxRuns() - 1);
                pruned += beyond.executeUpdate();
            }
        }
        long oldestHour = now.minus(settings.rollupAge()).getEpochSecond();
        for (String table : List.of("perpetual_rollups", "perpetual_latency")) {
            try (PreparedStatement old = connection.prepareStatement("DELETE FROM " + table + " WHERE hour_s < ?")) {
                old.setLong(1, oldestHour);
                old.executeUpdate();
            }
        }
        return pruned;
    }
}

package dev.perpetual.daemon.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The run store's tables, created and migrated by the daemon: {@code perpetual_schema_version} holds one row per
 * migration applied; each migration runs in a transaction of its own (on PostgreSQL under an advisory lock, so that
 * a fleet's replicas starting together migrate once). The same SQL serves SQLite and PostgreSQL.
 */
final class Schema {

    static final String VERSION_TABLE = "perpetual_schema_version";

    /** Migration n (from 1) takes the schema from version n − 1 to n. Never edit one: add the next. */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE perpetual_runs (test VARCHAR(1000) NOT NULL, run_id VARCHAR(200) NOT NULL, "
                    + "test_class VARCHAR(1000) NOT NULL, location VARCHAR(200), planned_us BIGINT, "
                    + "start_us BIGINT NOT NULL, duration_ns BIGINT NOT NULL, outcome VARCHAR(16) NOT NULL, "
                    + "attempts INTEGER NOT NULL, message TEXT, stack TEXT, log_lines TEXT NOT NULL, "
                    + "dropped_log_lines INTEGER NOT NULL, steps TEXT NOT NULL, webhooks TEXT NOT NULL, "
                    + "thread_stuck INTEGER NOT NULL, output TEXT, artifacts TEXT, PRIMARY KEY (test, run_id))",
            "CREATE INDEX perpetual_runs_newest ON perpetual_runs (test, start_us)",
            "CREATE INDEX perpetual_runs_by_outcome ON perpetual_runs (test, outcome, start_us)",
            "CREATE INDEX perpetual_runs_by_age ON perpetual_runs (start_us)",
            "CREATE TABLE perpetual_rollups (test VARCHAR(1000) NOT NULL, hour_s BIGINT NOT NULL, "
                    + "outcome VARCHAR(16) NOT NULL, runs BIGINT NOT NULL, PRIMARY KEY (test, hour_s, outcome))",
            "CREATE TABLE perpetual_latency (test VARCHAR(1000) NOT NULL, hour_s BIGINT NOT NULL, "
                    + "bucket INTEGER NOT NULL, runs BIGINT NOT NULL, PRIMARY KEY (test, hour_s, bucket))"),
            // 2: each run's trace (W3C trace id and root span id), which its requests carried
            List.of("ALTER TABLE perpetual_runs ADD COLUMN trace_id VARCHAR(32)",
                    "ALTER TABLE perpetual_runs ADD COLUMN span_id VARCHAR(16)"),
            // 3: when each row was written (by the database's clock), which the replicas of a fleet follow
            List.of("ALTER TABLE perpetual_runs ADD COLUMN stored_us BIGINT",
                    "CREATE INDEX perpetual_runs_by_store ON perpetual_runs (stored_us)"));

    /** An arbitrary constant: the PostgreSQL advisory lock the migrations take. */
    private static final long LOCK = 0x7065727065747561L;

    private Schema() {
    }

    /** Brings the schema to the latest version; says which version it found. */
    static int migrate(Connection connection, boolean postgresql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (postgresql) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (version INTEGER NOT NULL, "
                    + "applied_us BIGINT NOT NULL)");
            int found = version(statement);
            if (found > MIGRATIONS.size()) {
                throw new SQLException(String.format("The run store's schema is at version %d, newer than this "
                        + "daemon's %d: run a daemon at least as new as the one that wrote it.", found,
                        MIGRATIONS.size()));
            }
            for (int version = found + 1; version <= MIGRATIONS.size(); version++) {
                for (String sql : MIGRATIONS.get(version - 1)) {
                    statement.execute(sql);
                }
                statement.execute("INSERT INTO " + VERSION_TABLE + " (version, applied_us) VALUES (" + version
                        + ", " + System.currentTimeMillis() * 1000 + ")");
            }
            connection.commit();
            return found;
        }
        catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static int version(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}

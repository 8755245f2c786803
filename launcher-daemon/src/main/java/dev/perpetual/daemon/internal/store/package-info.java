/**
 * The durable run stores behind {@link dev.perpetual.daemon.internal.records.RunStore}, chosen by
 * {@code perpetual.history.url} ({@link dev.perpetual.daemon.internal.store.StoreSettings}): SQLite (embedded) or
 * PostgreSQL (shared by a fleet), through the real JDBC drivers and a HikariCP pool, no ORM.
 * {@link dev.perpetual.daemon.internal.store.JdbcStore} ties together the {@link
 * dev.perpetual.daemon.internal.store.Schema} (created and migrated by the daemon, with a version table), the rows
 * ({@link dev.perpetual.daemon.internal.store.RunRows}), the writes off the runs' threads
 * ({@link dev.perpetual.daemon.internal.store.WriteBehind}: batches, a bounded buffer while the database is away) and
 * the pruning ({@link dev.perpetual.daemon.internal.store.Retention}), and, for a fleet, the reading of the other
 * replicas' runs ({@link dev.perpetual.daemon.internal.store.FleetFollower}, on its own thread:
 * {@link dev.perpetual.daemon.internal.store.FleetPolling}).
 *
 * <p>It depends on the {@code records} package only.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

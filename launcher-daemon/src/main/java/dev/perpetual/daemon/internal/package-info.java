/**
 * The daemon's supervisor, put together: {@link dev.perpetual.daemon.internal.Daemon} wires the workers, the schedule,
 * the records and the admin port around the {@link dev.perpetual.daemon.internal.Catalog} of what discovery found
 * (checked by {@link dev.perpetual.daemon.internal.ConfigCheck}), and under {@code --once} runs each test once
 * itself. A run's path is in the packages below it: {@code cli} (the command line, which starts the daemon),
 * {@code schedule} (when runs happen), {@code workers} (the JVMs they run in), {@code records} (what each run
 * becomes) and {@code http} (the admin port that shows them). Nothing here is public API: the entry point is
 * {@link dev.perpetual.daemon.PerpetualDaemon}.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

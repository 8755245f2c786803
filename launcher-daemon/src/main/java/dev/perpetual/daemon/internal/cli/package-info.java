/**
 * The daemon's command line: {@link dev.perpetual.daemon.internal.cli.DaemonCommand} parses the Console Launcher's
 * selection language ({@link dev.perpetual.daemon.internal.cli.Selection}) and the daemon's own options, reports
 * bad usage, starts the workers and hands them to the {@link dev.perpetual.daemon.internal.Daemon} it starts;
 * {@code --list} prints the {@link dev.perpetual.daemon.internal.cli.Schedule}, and
 * {@link dev.perpetual.daemon.internal.cli.Signals} turns SIGTERM and SIGINT into a graceful stop. It owns the
 * start-up and its exit codes, not what runs afterwards: scheduling, the workers, the records and the admin port
 * belong to the packages beside it.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * What a run becomes: the one {@link dev.perpetual.daemon.internal.records.RunRecord} of every run (made by
 * {@link dev.perpetual.daemon.internal.records.RunRecords} from what a worker reported, or for a run it lost), and
 * where {@link dev.perpetual.daemon.internal.records.Results} sends it: the test's
 * {@link dev.perpetual.daemon.internal.records.RunHistory}, the meters
 * ({@link dev.perpetual.daemon.internal.records.DaemonMetrics}, pushed over OTLP too by
 * {@link dev.perpetual.daemon.internal.records.OtlpExport}, with the tests' own meters from the workers, secrets
 * hidden) and the
 * {@link dev.perpetual.daemon.internal.records.Console}; {@link dev.perpetual.daemon.internal.records.Views} are the
 * shapes the admin port shows them in. The tests themselves, as the supervisor knows them
 * ({@link dev.perpetual.daemon.internal.records.ScheduledTest}), are here too: every other package reads them.
 *
 * <p>It neither schedules, runs nor serves anything, and depends on no other package of the daemon: the workers'
 * gauges reach {@code DaemonMetrics} through {@link dev.perpetual.daemon.internal.records.WorkerGauges}, which the
 * workers implement.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

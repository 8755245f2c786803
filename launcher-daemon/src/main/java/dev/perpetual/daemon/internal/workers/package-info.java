/**
 * The worker JVMs and the link to them: {@link dev.perpetual.daemon.internal.workers.Workers} starts them (on the
 * user's class path from {@link dev.perpetual.daemon.internal.workers.UserClasses}, with the jars of the
 * {@link dev.perpetual.daemon.internal.workers.WorkerKit} it lacks, under the
 * {@link dev.perpetual.daemon.internal.workers.WorkerSettings}), hands them runs, watches their health, blames the
 * tests that end or wedge them ({@link dev.perpetual.daemon.internal.workers.Blame}) and quarantines those blamed too
 * often ({@link dev.perpetual.daemon.internal.workers.Quarantine}), and recycles or
 * replaces them. Each {@link dev.perpetual.daemon.internal.workers.Worker} is reached over a socket
 * ({@link dev.perpetual.daemon.internal.workers.ForkedLink}) or, unprotected, in this JVM
 * ({@link dev.perpetual.daemon.internal.workers.InProcessLink}), and every run handed out ends in exactly one record.
 * Workers that share the webhook port hand each other their deliveries through
 * {@link dev.perpetual.daemon.internal.workers.WebhookRoutes}. It decides neither when a test runs (the schedule's)
 * nor what becomes of its record (the records').
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

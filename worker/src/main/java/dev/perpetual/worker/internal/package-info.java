/**
 * The worker JVM: discovers the user's tests on the user's own class path, runs them through the JUnit Platform
 * Launcher in one long-lived launcher session, and reports every run, stuck thread, meter and its own health to the
 * supervisor as {@link dev.perpetual.worker.internal.Message messages} over one socket ({@link
 * dev.perpetual.worker.internal.Wire}). Nothing here is public API; the daemon's supervisor is its only client.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

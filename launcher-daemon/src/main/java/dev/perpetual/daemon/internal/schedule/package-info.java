/**
 * When runs happen: the {@link dev.perpetual.daemon.internal.schedule.Scheduler} starts every test at a fixed rate
 * without drift, each from a stable {@link dev.perpetual.daemon.internal.schedule.Offsets offset} in its first
 * period, skips (and counts) the ticks that overlap, exceed the concurrent runs or find the test stuck or backing off,
 * and asks the {@link dev.perpetual.daemon.internal.schedule.RunGate} whether this daemon runs a tick at all
 * ({@code perpetual.cluster.mode=once}: the fleet's one lease a tick, in Redis, from
 * {@link dev.perpetual.daemon.internal.schedule.RedisLeases}). It hands each run to the workers and each record on to
 * the records; running a test and keeping its result are theirs. {@code --once} does not schedule: the
 * {@link dev.perpetual.daemon.internal.Daemon} runs each test once itself.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal.schedule;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

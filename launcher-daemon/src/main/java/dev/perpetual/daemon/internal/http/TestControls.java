package dev.perpetual.daemon.internal.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;

import dev.perpetual.daemon.internal.schedule.Scheduler;
import org.apiguardian.api.API;

/** What the admin port may do to a running daemon's tests, once the bearer token is checked. */
@API(status = INTERNAL, since = "0.1")
public interface TestControls {

    /** Starts a run of {@code test} now, with the id {@code runId}. */
    Scheduler.Control runNow(String test, String runId);

    /** Pauses {@code test} until {@code until} (null: until resumed). */
    Scheduler.Control pause(String test, Instant until);

    Scheduler.Control resume(String test);

    /** Until when {@code test} is paused ({@link Instant#MAX}: until resumed), or null. */
    Instant pausedUntil(String test);
}

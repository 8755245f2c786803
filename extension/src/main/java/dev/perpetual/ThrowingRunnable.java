package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** A block of test code that may throw anything, for {@link O#step(String, ThrowingRunnable)}. */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface ThrowingRunnable {

    void run() throws Throwable;
}

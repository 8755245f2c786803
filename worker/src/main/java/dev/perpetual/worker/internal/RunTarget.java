package dev.perpetual.worker.internal;

import java.time.Duration;

import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * What the worker needs to run one test: its name, its timeout and retries, how long its set-up may take before the
 * test method starts ({@link SetUpAllowance}), and the request selecting exactly it (made once per test and reused for
 * every run).
 */
record RunTarget(String name, String className, String uniqueId, Duration timeout, int retries, Duration setUp,
        LauncherDiscoveryRequest request) {
}

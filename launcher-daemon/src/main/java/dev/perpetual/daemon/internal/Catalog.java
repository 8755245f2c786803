package dev.perpetual.daemon.internal;

import java.util.List;

import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * What discovery found: the tests to schedule, the perpetual tests disabled in this environment
 * ({@code perpetual.test.<name>.enabled=false}), and the selected tests that are not perpetual (listed, never run).
 *
 * @param scheduled         the tests to run
 * @param disabled          the perpetual tests disabled by configuration
 * @param notPerpetual      display names of selected tests without {@code @Perpetual}
 * @param request           the request discovery used, whose configuration every run inherits
 * @param maxConcurrentRuns {@code perpetual.daemon.max-concurrent-runs}
 * @param location          {@code perpetual.location}, or null
 * @param warnings          what deserves a look but does not stop the daemon
 */
record Catalog(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, List<String> notPerpetual,
        LauncherDiscoveryRequest request, int maxConcurrentRuns, String location, List<String> warnings) {
}

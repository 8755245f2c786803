package dev.perpetual.daemon.internal;

import dev.perpetual.spi.PerpetualTest;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * A discovered {@code @Perpetual} test, its settings after overrides, and the request that runs exactly it (made once
 * and reused for every run).
 *
 * @param settings the resolved settings
 * @param uniqueId the JUnit unique id of the test method
 * @param request  the discovery request selecting {@code uniqueId}
 */
record ScheduledTest(PerpetualTest settings, String uniqueId, LauncherDiscoveryRequest request) {

    String name() {
        return settings.name();
    }

    String className() {
        return settings.testClass().getName();
    }
}

package dev.perpetual.daemon.internal;

import java.util.Optional;

import dev.perpetual.spi.PerpetualTest;
import org.junit.jupiter.api.Disabled;
import org.junit.platform.commons.support.AnnotationSupport;
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

    /** Whether JUnit's {@code @Disabled} is on the test method or its class: then it is never run, only listed. */
    boolean disabledInCode() {
        return disabledAnnotation().isPresent();
    }

    /** Why the test is not scheduled: its {@code @Disabled} (with its reason), else the configuration key. */
    String disabledReason() {
        return disabledAnnotation().map(disabled -> "@Disabled" + (disabled.value().isBlank() ? ""
                : ": " + disabled.value())).orElse("perpetual.test." + name() + ".enabled=false");
    }

    private Optional<Disabled> disabledAnnotation() {
        return AnnotationSupport.findAnnotation(settings.method(), Disabled.class)
                .or(() -> AnnotationSupport.findAnnotation(settings.testClass(), Disabled.class));
    }
}

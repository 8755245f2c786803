package dev.perpetual.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.engine.JupiterTestEngine;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.testkit.engine.EngineTestKit;

@DisplayName("The tests of this module")
class JUnitLineTest {

    /** The 5.13 release under test, from the build's junit5.version (5.13.4 is Platform 1.13.4). */
    private static final String JUPITER = System.getProperty("junit5.version");
    private static final String PLATFORM = "1" + JUPITER.substring(JUPITER.indexOf('.'));

    @Test
    void run_on_junit_jupiter_5_13_and_its_platform_alone() {
        assertThat(JUPITER).startsWith("5.13.");
        assertThat(versionOf(Test.class)).as("junit-jupiter-api").isEqualTo(JUPITER);
        assertThat(versionOf(JupiterTestEngine.class)).as("junit-jupiter-engine").isEqualTo(JUPITER);
        assertThat(versionOf(AnnotationSupport.class)).as("junit-platform-commons").isEqualTo(PLATFORM);
        assertThat(versionOf(TestEngine.class)).as("junit-platform-engine").isEqualTo(PLATFORM);
        assertThat(versionOf(Launcher.class)).as("junit-platform-launcher").isEqualTo(PLATFORM);
        assertThat(versionOf(EngineTestKit.class)).as("junit-platform-testkit").isEqualTo(PLATFORM);
    }

    private static String versionOf(Class<?> type) {
        return type.getPackage().getImplementationVersion();
    }
}

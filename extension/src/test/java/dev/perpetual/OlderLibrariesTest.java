package dev.perpetual;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.perpetual.testing.SwappedClassPath;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("On a class path with a library older than Perpetual needs")
class OlderLibrariesTest {

    @Test
    void a_perpetual_test_fails_at_start_naming_the_library_both_versions_and_the_fix() throws Exception {
        Path older = Path.of("target", "older-libraries", "micrometer-core-1.3.0.jar");
        SwappedClassPath classPath = new SwappedClassPath(entry -> entry.contains("micrometer-core-"),
                List.of(older));

        assertThat(classPath.failureOf(MeteredTestCase.class)).isEqualTo("Micrometer 1.3.0 (micrometer-core-1.3.0.jar) "
                + "is older than Perpetual needs: 1.5.0 or later. Under a Spring Boot parent set <micrometer.version>"
                + System.getProperty("micrometer.version") + "</micrometer.version> in <properties>; otherwise "
                + "import io.micrometer:micrometer-bom:" + System.getProperty("micrometer.version")
                + " in <dependencyManagement>.");
    }

    @Test
    void a_perpetual_test_on_junit_5_12_fails_at_start_naming_junit_jupiter_both_versions_and_the_fix()
            throws Exception {
        Path older = Path.of("target", "older-libraries");
        List<Path> junit = Stream.of("junit-jupiter-api-5.12.2", "junit-jupiter-engine-5.12.2",
                "junit-platform-commons-1.12.2", "junit-platform-engine-1.12.2", "junit-platform-launcher-1.12.2",
                "junit-platform-testkit-1.12.2").map(jar -> older.resolve(jar + ".jar")).toList();
        SwappedClassPath classPath = new SwappedClassPath(entry -> entry.contains("/org/junit/"), junit);

        String version = System.getProperty("junit5.version");
        assertThat(classPath.failureOf(MeteredTestCase.class)).isEqualTo("JUnit Jupiter 5.12.2 "
                + "(junit-jupiter-api-5.12.2.jar) is older than Perpetual needs: 5.13.0 or later. Under a Spring Boot "
                + "parent set <junit-jupiter.version>" + version + "</junit-jupiter.version> in <properties>; "
                + "otherwise import org.junit:junit-bom:" + version + " in <dependencyManagement>.");
    }

    /**
     * Without the check, it would fail with a NoSuchMethodError: a step's timer needs Micrometer 1.5, the run's
     * launcher-session store JUnit 5.13.
     */
    static class MeteredTestCase {

        @Perpetual(period = "1m")
        void counts(O o) {
            o.step("load", () -> o.metrics().counter("visits").increment());
        }
    }
}

package dev.perpetual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The libraries Perpetual needs")
class RequirementsTest {

    static final Path OLDER = Path.of("target", "older-libraries");

    @Test
    void an_older_junit_and_micrometer_are_one_problem_each_naming_the_versions_and_the_fix() throws Exception {
        try (URLClassLoader classPath = classPath(OLDER.resolve("junit-jupiter-api-5.12.2.jar"),
                OLDER.resolve("micrometer-core-1.3.0.jar"))) {

            assertThat(Requirements.problems(classPath)).containsExactly(
                    "JUnit Jupiter 5.12.2 (junit-jupiter-api-5.12.2.jar) is older than Perpetual needs: 5.13.0 or "
                            + "later. Under a Spring Boot parent set <junit-jupiter.version>"
                            + System.getProperty("junit5.version") + "</junit-jupiter.version> in <properties>; "
                            + "otherwise import org.junit:junit-bom:" + System.getProperty("junit5.version")
                            + " in <dependencyManagement>.",
                    "Micrometer 1.3.0 (micrometer-core-1.3.0.jar) is older than Perpetual needs: 1.5.0 or later. "
                            + "Under a Spring Boot parent set <micrometer.version>"
                            + System.getProperty("micrometer.version") + "</micrometer.version> in <properties>; "
                            + "otherwise import io.micrometer:micrometer-bom:"
                            + System.getProperty("micrometer.version") + " in <dependencyManagement>.");
        }
    }

    @Test
    void this_builds_junit_and_micrometer_meet_them() {
        assertThat(Requirements.problems(RequirementsTest.class.getClassLoader())).isEmpty();
    }

    @Test
    void a_library_that_is_absent_is_not_checked() throws Exception {
        try (URLClassLoader classPath = classPath()) {
            assertThat(Requirements.problems(classPath)).isEmpty();
        }
    }

    @Test
    void a_library_merged_into_another_jar_is_not_checked_by_that_jars_version(@TempDir Path folder)
            throws Exception {
        Path daemon = folder.resolve("perpetual-daemon.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "Perpetual :: Launcher daemon");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "0.1.0");
        String registry = "io/micrometer/core/instrument/MeterRegistry.class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(daemon), manifest);
                JarFile micrometer = new JarFile(OLDER.resolve("micrometer-core-1.3.0.jar").toFile())) {
            jar.putNextEntry(new JarEntry(registry));
            micrometer.getInputStream(micrometer.getJarEntry(registry)).transferTo(jar);
        }

        try (URLClassLoader classPath = classPath(daemon)) {
            assertThat(classPath.getResource(registry)).isNotNull();
            assertThat(Requirements.problems(classPath)).isEmpty();
        }
    }

    @Test
    void versions_compare_by_their_leading_numbers() {
        assertThat(Requirements.compare("4.47.0", "4.50.0")).isNegative();
        assertThat(Requirements.compare("1.17", "1.5.0")).isPositive();
        assertThat(Requirements.compare("5.13.0-M1", "5.13.0")).isZero();
        assertThat(Requirements.compare("6.0.0", "5.13.0")).isPositive();
    }

    /** The extension's classes, with its requirements, and {@code jars}. */
    private static URLClassLoader classPath(Path... jars) throws Exception {
        URL[] urls = new URL[jars.length + 1];
        urls[0] = Requirements.class.getProtectionDomain().getCodeSource().getLocation();
        for (int i = 0; i < jars.length; i++) {
            urls[i + 1] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }
}

package dev.perpetual.selenium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.perpetual.testing.SwappedClassPath;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

@DisplayName("On a class path whose Selenium is older than the probes need (4.47, from Selenium Grid's class path)")
class OlderSeleniumTest {

    private static final String SELENIUM = "/org/seleniumhq/selenium/";

    @Test
    void a_browser_test_fails_before_a_browser_starts_naming_selenium_both_versions_and_the_fix() throws Exception {
        List<Path> grid = Arrays.stream(Files.readString(Path.of("target", "grid", "classpath.txt")).strip()
                .split(File.pathSeparator)).filter(entry -> entry.contains(SELENIUM)).map(Path::of).toList();
        List<String> ours = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains(SELENIUM)).map(entry -> artifact(Path.of(entry))).toList();
        // Each Selenium artifact of this module in its 4.47 release, as a Spring Boot parent's BOM would pick it.
        List<Path> older = grid.stream().filter(jar -> ours.contains(artifact(jar))).toList();
        assertThat(older).hasSameSizeAs(ours);

        String failure = new SwappedClassPath(entry -> entry.contains(SELENIUM), older).failureOf(ShopTestCase.class);

        String version = System.getProperty("selenium.version");
        assertThat(failure).isEqualTo("Selenium 4.47.0 (selenium-api-4.47.0.jar) is older than Perpetual needs: "
                + "4.50.0 or later. Under a Spring Boot parent set <selenium.version>" + version
                + "</selenium.version> in <properties>; otherwise import org.seleniumhq.selenium:selenium-bom:"
                + version + " in <dependencyManagement>.");
    }

    /** {@code selenium-api} of {@code .../selenium-api/4.47.0/selenium-api-4.47.0.jar}. */
    private static String artifact(Path jar) {
        return jar.getParent().getParent().getFileName().toString();
    }

    /**
     * Without the check, it fails in the BiDi layer: "class org.openqa.selenium.json.JsonInput cannot be cast to class
     * java.util.Map" (the probes' BiDi commands take 4.50's Command).
     */
    @Browser
    static class ShopTestCase {

        @Test
        void opens(WebDriver driver) {
            driver.get("about:blank");
        }
    }
}

package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A new JUnit 6 project with the README's Perpetual lines and one passing {@code @Perpetual} test, built once with
 * {@code mvn package perpetual:once}: {@code mvn test} runs its E2E class, {@code package} bundles it, and
 * {@code perpetual:once} passes the gate and writes the reports.
 */
class PassingProjectIT {

    private static MavenBuild build;
    private static int exitCode;

    @BeforeAll
    static void build() throws Exception {
        build = MavenBuild.of("junit6-passing");
        exitCode = build.run(Duration.ofMinutes(4), "-Dperpetual.webhooks.port=0", "package", "perpetual:once");
    }

    @Test
    void theBuildSucceeds() throws Exception {
        assertThat(exitCode).as(build.log()).isZero();
        assertThat(build.log()).contains("[INFO] BUILD SUCCESS");
    }

    @Test
    void mvnTestRunsTheE2eClassOnceThroughSurefire() throws Exception {
        assertThat(build.log()).contains("[INFO] Running com.acme.GreetingE2E")
                .contains("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .as("perpetual:once sees Surefire's includes run the class").doesNotContain("mvn test does not run");
    }

    @Test
    void onceRunsTheTestThroughTheDaemonAndWritesItsJUnitXmlReport() throws Exception {
        assertThat(build.log()).contains("[INFO] Perpetual --once: 1 tests, all passed (1 pass)")
                .containsPattern("\\[INFO\\] JUnit XML reports: 1 files in .*/target/perpetual-reports");
        Path report = build.project.resolve("target/perpetual-reports/TEST-com.acme.GreetingE2E.xml");
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                .getDocumentElement();
        assertThat(List.of(suite.getAttribute("name"), suite.getAttribute("tests"), suite.getAttribute("failures"),
                suite.getAttribute("errors"), suite.getAttribute("skipped")))
                .containsExactly("com.acme.GreetingE2E", "1", "0", "0", "0");
        Element test = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(List.of(test.getAttribute("classname"), test.getAttribute("name")))
                .containsExactly("com.acme.GreetingE2E", "greets");
    }

    @Test
    void packageBundlesTheTestsAndTheirClassPathForTheDaemonJar() throws Exception {
        Path bundle = build.project.resolve("target/perpetual-probes");
        assertThat(build.log()).contains("[INFO] Perpetual bundle in target/perpetual-probes: greeter-1.0-tests.jar, "
                + "and ");
        assertThat(bundle.resolve("greeter-1.0-tests.jar")).isRegularFile();
        try (Stream<Path> lib = Files.list(bundle.resolve("lib"))) {
            assertThat(lib.map(jar -> jar.getFileName().toString())).contains("greeter-1.0.jar",
                    "perpetual-extension-" + MavenBuild.property("it.perpetual.version") + ".jar",
                    "junit-jupiter-api-6.1.3.jar");
        }

        Path daemonJar = Path.of(MavenBuild.property("it.repo"), "dev/perpetual/perpetual-launcher-daemon",
                MavenBuild.property("it.perpetual.version"), "perpetual-launcher-daemon-"
                        + MavenBuild.property("it.perpetual.version") + "-exec.jar");
        Path log = build.project.resolve("bundle-once.log");
        Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", daemonJar.toString(), "-cp", bundle + "/*" + File.pathSeparator + bundle + "/lib/*",
                "--scan-class-path", bundle.resolve("greeter-1.0-tests.jar").toString(), "--once", "--port", "0",
                "--config", "perpetual.webhooks.port=0").redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("Perpetual --once: 1 tests, all passed (1 pass)");
        }
        finally {
            MavenBuild.kill(daemon);
        }
    }
}

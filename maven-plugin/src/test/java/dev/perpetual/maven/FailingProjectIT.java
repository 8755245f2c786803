package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * {@code mvn perpetual:once} on a project with a failing {@code @Perpetual} test, on Debian's Maven 3.8, the oldest
 * this plugin supports: the gate fails the build naming the test, and the reports are written all the same.
 */
class FailingProjectIT {

    private static MavenBuild build;
    private static int exitCode;

    @BeforeAll
    static void build() throws Exception {
        build = MavenBuild.of("junit6-failing", MavenBuild.MAVEN_38);
        exitCode = build.run(Duration.ofMinutes(4), "--show-version", "-Dperpetual.webhooks.port=0", "perpetual:once");
    }

    @Test
    void onMaven38AFailingTestFailsTheBuildNamingTheTestAndItsMessage() throws Exception {
        assertThat(exitCode).as(build.log()).isEqualTo(1);
        assertThat(build.log()).contains("Apache Maven 3.8.").contains("[INFO] BUILD FAILURE")
                .as("Surefire's includes, read on Maven 3.8 too, run the class").doesNotContain("mvn test does not run")
                .contains("[ERROR] Failed to execute goal dev.perpetual:perpetual-maven-plugin:"
                        + MavenBuild.property("it.perpetual.version") + ":once (default-cli) on project shop: "
                        + "Perpetual --once: 1 of 2 tests failed (JUnit XML reports in " + build.project.resolve(
                        "target/perpetual-reports") + "):\n"
                        + "[ERROR]   com.acme.CheckoutE2E#paymentAccepted  status ==> expected: <200> but was: "
                        + "<500>\n");
    }

    @Test
    void theFailedTestsJUnitXmlReportIsWritten() throws Exception {
        Path report = build.project.resolve("target/perpetual-reports/TEST-com.acme.CheckoutE2E.xml");
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                .getDocumentElement();
        assertThat(List.of(suite.getAttribute("tests"), suite.getAttribute("failures"), suite.getAttribute("errors")))
                .containsExactly("2", "1", "0");
        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        assertThat(((Element) failure.getParentNode()).getAttribute("name")).isEqualTo("paymentAccepted");
        assertThat(failure.getAttribute("message")).isEqualTo("status ==> expected: <200> but was: <500>");
        assertThat(failure.getAttribute("type")).isEqualTo("org.opentest4j.AssertionFailedError");
    }

    @Test
    void anUnknownPerpetualKeyFailsTheBuildWithTheDaemonsMessageNamingTheKeyTheValueAndTheFix() throws Exception {
        MavenBuild typo = MavenBuild.of("junit6-failing");
        assertThat(typo.run(Duration.ofMinutes(4), "-Dperpetual.timeout.defualt=5s", "perpetual:once")).isEqualTo(1);
        assertThat(typo.log()).contains("on project shop: The Perpetual daemon ran no test (exit code 2: bad usage, "
                + "bad configuration, or no tests selected):\n"
                + "[ERROR] Perpetual found 1 problem; nothing was run:\n"
                + "[ERROR]   - Unknown configuration parameter 'perpetual.timeout.defualt' [5s]: Perpetual has no such "
                + "key. Did you mean 'perpetual.timeout.default'? Keys of your tests' own belong under "
                + "'perpetual.env.'.\n");
    }
}

package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitXmlReportsTest {

    @TempDir
    Path reports;

    @Test
    void onceWritesOneReportPerClassWithFailuresErrorsAndSkippedTestsAsJUnitsLegacyReporterDoes() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), ReportedTestCase.class, OtherTestCase.class)) {
            daemon.daemon.runOnce(java.time.Duration.ZERO);

            List<Path> written = JUnitXmlReports.write(reports, daemon.daemon.results());

            assertThat(written).containsExactly(reports.resolve("TEST-" + ReportedTestCase.class.getName() + ".xml"),
                    reports.resolve("TEST-" + OtherTestCase.class.getName() + ".xml"));
            Element suite = parse(written.get(0)).getDocumentElement();
            assertThat(suite.getTagName()).isEqualTo("testsuite");
            assertThat(suite.getAttribute("name")).isEqualTo(ReportedTestCase.class.getName());
            assertThat(List.of(suite.getAttribute("tests"), suite.getAttribute("failures"),
                    suite.getAttribute("errors"), suite.getAttribute("skipped"))).containsExactly("6", "1", "2", "2");
            assertThat(suite.getAttribute("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
            Map<String, Element> cases = testCases(suite);
            assertThat(cases).containsOnlyKeys("passes", "fails", "errors", "timesOut", "aborts", "muted");
            assertThat(cases.values()).allSatisfy(test ->
                    assertThat(test.getAttribute("classname")).isEqualTo(ReportedTestCase.class.getName()));

            assertThat(cases.get("passes").getElementsByTagName("failure").getLength()).isZero();
            assertThat(text(cases.get("passes"), "system-out")).startsWith("Perpetual test ReportedTestCase.passes, "
                    + "run ").contains(": pass after 1 attempt\n").contains("colour &#27;[31mred&#27;[0m\n");

            Element failure = child(cases.get("fails"), "failure");
            assertThat(failure.getAttribute("message")).isEqualTo("status ==> expected: <200> but was: <500>");
            assertThat(failure.getAttribute("type")).isEqualTo("org.opentest4j.AssertionFailedError");
            assertThat(failure.getTextContent()).startsWith("org.opentest4j.AssertionFailedError: status ==> "
                    + "expected: <200> but was: <500>\n\tat ");

            Element error = child(cases.get("errors"), "error");
            assertThat(error.getAttribute("message")).isEqualTo("probe misconfigured");
            assertThat(error.getAttribute("type")).isEqualTo("java.lang.IllegalStateException");
            assertThat(child(cases.get("timesOut"), "error").getAttribute("type"))
                    .isEqualTo("dev.perpetual.internal.RunTimedOutException");

            assertThat(child(cases.get("aborts"), "skipped").getAttribute("message"))
                    .contains("not in this region");
            assertThat(child(cases.get("muted"), "skipped").getAttribute("message"))
                    .isEqualTo("disabled: @Disabled: vendor sandbox down");
            assertThat(cases.get("muted").getElementsByTagName("system-out").getLength()).isZero();

            Element other = parse(written.get(1)).getDocumentElement();
            assertThat(List.of(other.getAttribute("tests"), other.getAttribute("failures"),
                    other.getAttribute("errors"), other.getAttribute("skipped"))).containsExactly("1", "0", "0", "0");
        }
    }

    private static Document parse(Path file) throws Exception {
        assertThat(Files.readString(file)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite ");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Map<String, Element> testCases(Element suite) {
        Map<String, Element> cases = new LinkedHashMap<>();
        NodeList nodes = suite.getElementsByTagName("testcase");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element test = (Element) nodes.item(i);
            cases.put(test.getAttribute("name"), test);
        }
        return cases;
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        assertThat(found).as("<%s> in %s", tag, parent.getAttribute("name")).hasSize(1);
        return found.get(0);
    }

    private static String text(Element parent, String tag) {
        return child(parent, tag).getTextContent();
    }

    static class ReportedTestCase {
        @Perpetual(period = "1h", timeout = "5s")
        void passes(O o) {
            o.log("colour \u001b[31mred\u001b[0m");
        }

        @Perpetual(period = "1h", timeout = "5s")
        void fails() {
            assertEquals(200, 500, "status");
        }

        @Perpetual(period = "1h", timeout = "5s")
        void errors() {
            throw new IllegalStateException("probe misconfigured");
        }

        @Perpetual(period = "1h", timeout = "100ms")
        void timesOut() throws InterruptedException {
            Thread.sleep(1_000);
        }

        @Perpetual(period = "1h", timeout = "5s")
        void aborts() {
            Assumptions.assumeTrue(false, "not in this region");
        }

        @Perpetual(period = "1h", timeout = "5s")
        @Disabled("vendor sandbox down")
        void muted() {
        }
    }

    static class OtherTestCase {
        @Perpetual(period = "1h", timeout = "5s")
        void passes() {
        }
    }
}

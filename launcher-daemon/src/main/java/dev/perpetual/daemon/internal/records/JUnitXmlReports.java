package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import dev.perpetual.spi.Outcome;
import org.apiguardian.api.API;

/**
 * {@code --once}'s results as JUnit XML reports, which CI servers read: one {@code TEST-<class>.xml} per test class, in
 * the format JUnit's legacy XML reporter and Surefire write ({@code testsuite}, {@code testcase} with the method's name
 * and class, {@code failure}, {@code error}, {@code skipped}, {@code system-out}). A {@code fail} is a failure; an
 * {@code error} or a {@code timeout} an error; an {@code aborted} run, a test that did not run and a disabled test are
 * skipped. Written with the JDK's StAX writer; characters XML 1.0 cannot hold are written as {@code &#N;} text.
 */
@API(status = INTERNAL, since = "0.1")
public final class JUnitXmlReports {

    /** A stack's first line that names the exception's class: {@code java.lang.AssertionError: expected …}. */
    private static final Pattern EXCEPTION = Pattern.compile(
            "^([\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)+)(?::|\\R|$)");

    private JUnitXmlReports() {
    }

    /**
     * Writes the reports of {@code results} into {@code folder}: the last record of each scheduled test (none: it did
     * not run) and the disabled tests. Says the files written.
     */
    public static List<Path> write(Path folder, Results results) throws IOException {
        Map<String, List<TestCase>> byClass = new LinkedHashMap<>();
        for (ScheduledTest test : results.scheduled()) {
            List<RunRecord> records = results.history(test.name()).newestFirst();
            byClass.computeIfAbsent(test.className(), c -> new ArrayList<>())
                    .add(new TestCase(test, records.isEmpty() ? null : records.get(0)));
        }
        for (ScheduledTest test : results.disabled()) {
            byClass.computeIfAbsent(test.className(), c -> new ArrayList<>()).add(new TestCase(test, null));
        }
        Files.createDirectories(folder);
        String hostname = hostname();
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<TestCase>> suite : byClass.entrySet()) {
            Path file = folder.resolve("TEST-" + suite.getKey() + ".xml");
            try (OutputStream out = Files.newOutputStream(file)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                writeSuite(xml, suite.getKey(), suite.getValue(), hostname);
                xml.close();
            }
            catch (XMLStreamException e) {
                throw new IOException("Could not write " + file + ": " + e.getMessage(), e);
            }
            written.add(file);
        }
        return written;
    }

    private static void writeSuite(XMLStreamWriter xml, String className, List<TestCase> cases, String hostname)
            throws XMLStreamException {
        Duration time = Duration.ZERO;
        Instant start = null;
        int skipped = 0;
        int failures = 0;
        int errors = 0;
        for (TestCase test : cases) {
            switch (test.kind()) {
                case SKIPPED -> skipped++;
                case FAILURE -> failures++;
                case ERROR -> errors++;
                default -> { }
            }
            if (test.record != null) {
                time = time.plus(test.record.duration());
                start = start == null || test.record.start().isBefore(start) ? test.record.start() : start;
            }
        }
        xml.writeStartDocument("UTF-8", "1.0");
        newline(xml);
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", className);
        xml.writeAttribute("tests", Integer.toString(cases.size()));
        xml.writeAttribute("skipped", Integer.toString(skipped));
        xml.writeAttribute("failures", Integer.toString(failures));
        xml.writeAttribute("errors", Integer.toString(errors));
        xml.writeAttribute("time", seconds(time));
        xml.writeAttribute("hostname", hostname);
        xml.writeAttribute("timestamp", LocalDateTime.ofInstant(start == null ? Instant.now() : start,
                ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        newline(xml);
        for (TestCase test : cases) {
            writeCase(xml, test);
        }
        xml.writeEndElement();
        newline(xml);
        xml.writeEndDocument();
    }

    private static void writeCase(XMLStreamWriter xml, TestCase test) throws XMLStreamException {
        RunRecord record = test.record;
        xml.writeStartElement("testcase");
        xml.writeAttribute("name", test.test.methodName());
        xml.writeAttribute("classname", test.test.className());
        xml.writeAttribute("time", seconds(record == null ? Duration.ZERO : record.duration()));
        newline(xml);
        switch (test.kind()) {
            case SKIPPED -> {
                xml.writeEmptyElement("skipped");
                xml.writeAttribute("message", text(test.skipReason()));
                newline(xml);
            }
            case FAILURE, ERROR -> {
                xml.writeStartElement(test.kind() == Kind.FAILURE ? "failure" : "error");
                xml.writeAttribute("message", text(record.message() == null ? "" : record.message()));
                xml.writeAttribute("type", type(record));
                xml.writeCharacters(text(record.stack() == null ? "" : record.stack()));
                xml.writeEndElement();
                newline(xml);
            }
            default -> { }
        }
        if (record != null) {
            xml.writeStartElement("system-out");
            xml.writeCharacters(text(systemOut(test.test, record)));
            xml.writeEndElement();
            newline(xml);
        }
        xml.writeEndElement();
        newline(xml);
    }

    /** The run's id and outcome, its {@code O.log} lines, then what it printed. */
    private static String systemOut(ScheduledTest test, RunRecord record) {
        StringBuilder out = new StringBuilder(String.format("Perpetual test %s, run %s: %s after %d attempt%s%n",
                test.name(), record.runId(), record.outcome().label(), record.attempts(),
                record.attempts() == 1 ? "" : "s"));
        if (record.outcome() == Outcome.FLAKY && record.message() != null) {
            out.append(record.message()).append(System.lineSeparator());
        }
        record.logLines().forEach(line -> out.append(line).append(System.lineSeparator()));
        if (record.output() != null) {
            out.append(record.output());
        }
        return out.toString();
    }

    /** The exception's class, from the stack's first line; else what the outcome stands for. */
    static String type(RunRecord record) {
        if (record.stack() != null) {
            Matcher exception = EXCEPTION.matcher(record.stack());
            if (exception.find()) {
                return exception.group(1);
            }
        }
        return record.outcome() == Outcome.TIMEOUT ? TimeoutException.class.getName() : record.outcome().label();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    /** {@code text} with each character XML 1.0 cannot hold written as {@code &#N;}, as JUnit's reporter does. */
    static String text(String text) {
        StringBuilder legal = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (allowed) {
                legal.appendCodePoint(c);
            }
            else {
                legal.append("&#").append(c).append(';');
            }
        });
        return legal.toString();
    }

    private static void newline(XMLStreamWriter xml) throws XMLStreamException {
        xml.writeCharacters("\n");
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private enum Kind { PASSED, FAILURE, ERROR, SKIPPED }

    /** A test and its one record under {@code --once}, or null when it did not run. */
    private record TestCase(ScheduledTest test, RunRecord record) {

        Kind kind() {
            if (record == null) {
                return Kind.SKIPPED;
            }
            return switch (record.outcome()) {
                case PASS, FLAKY -> Kind.PASSED;
                case FAIL -> Kind.FAILURE;
                case ERROR, TIMEOUT -> Kind.ERROR;
                case ABORTED -> Kind.SKIPPED;
            };
        }

        String skipReason() {
            if (!test.enabled()) {
                return "disabled: " + test.disabledReason();
            }
            if (record == null) {
                return "not run: stopped before it started";
            }
            return record.message() == null ? "aborted" : record.message();
        }
    }
}

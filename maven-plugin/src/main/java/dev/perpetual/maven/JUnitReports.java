package dev.perpetual.maven;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The JUnit XML reports the daemon wrote ({@code TEST-*.xml}), read with the JDK's parser. */
final class JUnitReports {

    /** A test that did not pass: {@code class#method} and the first line of its message. */
    record Failed(String test, String message) {
    }

    /** How many tests the reports hold, their classes, and those that failed or erred, in the reports' order. */
    record Summary(int tests, Set<String> classes, List<Failed> failed) {
    }

    private JUnitReports() {
    }

    /** Removes the {@code TEST-*.xml} files a previous run left in {@code folder}, so none is read as this run's. */
    static void clear(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> reports = Files.newDirectoryStream(folder, "TEST-*.xml")) {
            for (Path report : reports) {
                Files.delete(report);
            }
        }
    }

    static Summary read(Path folder) throws IOException {
        int tests = 0;
        Set<String> classes = new LinkedHashSet<>();
        List<Failed> failed = new ArrayList<>();
        DocumentBuilder parser = parser();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> reports = Files.newDirectoryStream(folder, "TEST-*.xml")) {
            reports.forEach(files::add);
        }
        files.sort(null);
        for (Path file : files) {
            NodeList cases;
            try {
                cases = parser.parse(file.toFile()).getElementsByTagName("testcase");
            }
            catch (SAXException e) {
                throw new IOException("Could not read " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < cases.getLength(); i++) {
                Element test = (Element) cases.item(i);
                tests++;
                classes.add(test.getAttribute("classname"));
                for (String tag : List.of("failure", "error")) {
                    NodeList problems = test.getElementsByTagName(tag);
                    if (problems.getLength() > 0) {
                        String message = ((Element) problems.item(0)).getAttribute("message");
                        failed.add(new Failed(test.getAttribute("classname") + "#" + test.getAttribute("name"),
                                message.lines().findFirst().orElse("")));
                    }
                }
            }
        }
        return new Summary(tests, classes, failed);
    }

    private static DocumentBuilder parser() throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            return factory.newDocumentBuilder();
        }
        catch (ParserConfigurationException e) {
            throw new IOException(e);
        }
    }
}

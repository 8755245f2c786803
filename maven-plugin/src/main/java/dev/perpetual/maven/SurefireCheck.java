package dev.perpetual.maven;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Whether {@code mvn test} runs the classes whose {@code @Perpetual} tests {@code perpetual:once} ran: not with a
 * Surefire older than 2.22 (Maven 3.8's default, 2.12.4, runs no JUnit Jupiter test), nor for a class whose name none
 * of Surefire's includes match ({@code CheckoutE2E}, {@code ShopProbe} under the defaults). Each is a warning naming
 * the fix; includes of forms it does not know ({@code %regex[…]}) are not checked.
 */
final class SurefireCheck {

    static final String SUREFIRE = "org.apache.maven.plugins:maven-surefire-plugin";

    /** Surefire's includes when none are configured. */
    static final List<String> DEFAULT_INCLUDES = List.of("**/Test*.java", "**/*Test.java", "**/*Tests.java",
            "**/*TestCase.java");

    private static final ComparableVersion FIRST_WITH_JUNIT_PLATFORM = new ComparableVersion("2.22.0");
    private static final Pattern SUFFIX = Pattern.compile("(?:[A-Z0-9]{2,}|[A-Z][a-z0-9]*)$");

    private SurefireCheck() {
    }

    /** The warnings for {@code classes} (fully qualified names) under {@code surefire} (null: not in the build). */
    static List<String> warnings(Plugin surefire, Collection<String> classes) {
        List<String> warnings = new ArrayList<>();
        if (surefire == null || classes.isEmpty()) {
            return warnings;
        }
        if (surefire.getVersion() != null
                && new ComparableVersion(surefire.getVersion()).compareTo(FIRST_WITH_JUNIT_PLATFORM) < 0) {
            warnings.add(String.format("mvn test runs none of these tests: maven-surefire-plugin %s runs no JUnit "
                    + "Jupiter test (2.22.0 was the first to; Maven 3.8 brings 2.12.4). Declare "
                    + "<version>3.5.4</version> for it in the pom's <build><plugins>.", surefire.getVersion()));
            return warnings;
        }
        List<String> includes = includes(surefire);
        if (includes.stream().anyMatch(include -> !include.endsWith(".java") && !include.endsWith(".class"))) {
            return warnings;
        }
        for (String type : new TreeSet<>(classes)) {
            String outer = type.contains("$") ? type.substring(0, type.indexOf('$')) : type;
            String file = outer.replace('.', '/') + ".java";
            if (includes.stream().noneMatch(include -> matches(include, file))) {
                String simple = outer.substring(outer.lastIndexOf('.') + 1);
                Matcher suffix = SUFFIX.matcher(simple);
                String include = "**/*" + (suffix.find() ? suffix.group() : simple) + ".java";
                warnings.add(String.format("mvn test does not run %s: no include of maven-surefire-plugin matches its "
                        + "name %s. Add <include>%s</include> to its <includes>%s, or name the class ...Test.", outer,
                        includes, include, includes == DEFAULT_INCLUDES ? " with the defaults (configured "
                                + "includes replace them)" : ""));
            }
        }
        return warnings;
    }

    /** The includes of the {@code default-test} execution, else of the plugin, else Surefire's defaults. */
    private static List<String> includes(Plugin surefire) {
        Map<String, PluginExecution> executions = surefire.getExecutionsAsMap();
        PluginExecution test = executions.get("default-test");
        for (Object configuration : new Object[] { test == null ? null : test.getConfiguration(),
                surefire.getConfiguration() }) {
            Xpp3Dom includes = configuration instanceof Xpp3Dom dom ? dom.getChild("includes") : null;
            if (includes != null && includes.getChildCount() > 0) {
                List<String> values = new ArrayList<>();
                for (Xpp3Dom include : includes.getChildren()) {
                    values.add(include.getValue() == null ? "" : include.getValue().strip());
                }
                return values;
            }
        }
        return DEFAULT_INCLUDES;
    }

    /** Ant-style, as Surefire matches: {@code **}{@code /} also matches no folder at all. */
    private static boolean matches(String include, String file) {
        String pattern = include.endsWith(".class") ? include.replaceFirst("\\.class$", ".java") : include;
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return matcher.matches(Path.of(file)) || (pattern.startsWith("**/")
                && FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)).matches(Path.of(file)));
    }
}

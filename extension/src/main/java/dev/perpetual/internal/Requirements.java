package dev.perpetual.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The oldest versions of the libraries Perpetual's modules link against, checked against the class path at start,
 * so that an older library (a Spring Boot parent's Selenium, a project's JUnit 5.12) is reported naming the
 * library, the version found, the version needed and the fix, instead of failing later with a
 * {@code NoSuchMethodError}.
 *
 * <p>Each module states its needs in {@value #RESOURCE}: for a library {@code id}, {@code id.library} (its name),
 * {@code id.class} (a class it ships), {@code id.manifest} (the manifest attribute holding its version, in the main
 * section or a named one), optionally {@code id.title} (how its {@code Implementation-Title} starts, which shows the
 * manifest is the library's own), {@code id.minimum}, {@code id.property} (the version property of Spring Boot's dependency
 * management), {@code id.bom} (its BOM) and {@code id.recommended} (the version to set). A library that is absent,
 * or whose version its own jar does not say (it was merged into another jar), is not checked.
 */
@API(status = INTERNAL, since = "0.1")
public final class Requirements {

    /** Where each module lists what it needs: {@value}. */
    public static final String RESOURCE = "META-INF/perpetual/requirements.properties";

    private Requirements() {
    }

    /**
     * The problems of the class path Perpetual was loaded from, one sentence each. Read once per class loader: a
     * class path does not change while its classes are loaded.
     */
    public static List<String> problems() {
        return OwnClassPath.PROBLEMS;
    }

    /**
     * Throws naming every problem of the class path Perpetual was loaded from, before anything calls an API that
     * may be missing.
     *
     * @throws ExtensionConfigurationException with one problem per line
     */
    public static void check() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ExtensionConfigurationException(String.join("\n", problems));
        }
    }

    /** The problems of the class path of {@code loader}: one per library older than a module there needs. */
    public static List<String> problems(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        try {
            for (URL resource : Collections.list(loader.getResources(RESOURCE))) {
                Properties needs = new Properties();
                try (InputStream in = open(resource)) {
                    needs.load(in);
                }
                TreeSet<String> ids = new TreeSet<>();
                needs.stringPropertyNames().forEach(key -> ids.add(key.substring(0, key.lastIndexOf('.'))));
                for (String id : ids) {
                    problem(loader, needs, id).ifPresent(problems::add);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
        return List.copyOf(problems);
    }

    private static Optional<String> problem(ClassLoader loader, Properties needs, String id) throws IOException {
        String minimum = needs.getProperty(id + ".minimum");
        URL type = loader.getResource(needs.getProperty(id + ".class").replace('.', '/') + ".class");
        if (type == null) {
            return Optional.empty();
        }
        String location = type.toString();
        int separator = location.lastIndexOf("!/");
        if (separator < 0) {
            return Optional.empty(); // a classes directory, not a released jar
        }
        Manifest manifest;
        URL manifestUrl = URI.create(location.substring(0, separator + 2) + "META-INF/MANIFEST.MF").toURL();
        try (InputStream in = open(manifestUrl)) {
            manifest = new Manifest(in);
        }
        catch (IOException e) {
            return Optional.empty();
        }
        String title = needs.getProperty(id + ".title");
        String jarTitle = manifest.getMainAttributes().getValue("Implementation-Title");
        if (title != null && (jarTitle == null || !jarTitle.startsWith(title))) {
            return Optional.empty(); // the manifest of a jar the library was merged into, such as the daemon's
        }
        Optional<String> found = version(manifest, needs.getProperty(id + ".manifest"));
        if (found.isEmpty() || compare(found.get(), minimum) >= 0) {
            return Optional.empty();
        }
        String jar = location.substring(0, separator);
        String recommended = needs.getProperty(id + ".recommended");
        String property = needs.getProperty(id + ".property");
        return Optional.of(String.format("%s %s (%s) is older than Perpetual needs: %s or later. Under a Spring Boot "
                + "parent set <%s>%s</%s> in <properties>; otherwise import %s:%s in <dependencyManagement>.",
                needs.getProperty(id + ".library"), found.get(), jar.substring(jar.lastIndexOf('/') + 1), minimum,
                property, recommended, property, needs.getProperty(id + ".bom"), recommended));
    }

    private static Optional<String> version(Manifest manifest, String attribute) {
        Attributes.Name name = new Attributes.Name(attribute);
        Optional<String> main = Optional.ofNullable(manifest.getMainAttributes().getValue(name));
        return main.or(() -> manifest.getEntries().values().stream()
                .map(section -> section.getValue(name)).filter(value -> value != null).findFirst());
    }

    /** Compares the leading numbers of versions: {@code 4.47.0} before {@code 4.50}, {@code 5.13.0-M1} as 5.13.0. */
    static int compare(String left, String right) {
        int[] a = numbers(left);
        int[] b = numbers(right);
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private static int[] numbers(String version) {
        int[] numbers = new int[3];
        String[] parts = version.strip().split("[.-]");
        for (int i = 0; i < Math.min(3, parts.length) && parts[i].matches("\\d{1,9}"); i++) {
            numbers[i] = Integer.parseInt(parts[i]);
        }
        return numbers;
    }

    private static InputStream open(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false); // a cached JarFile would keep the user's jar open
        return connection.getInputStream();
    }

    /** The problems of Perpetual's own class path, computed when first asked. */
    private static final class OwnClassPath {

        static final List<String> PROBLEMS = problems(Requirements.class.getClassLoader());
    }
}

package dev.perpetual.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;

/**
 * {@code -Dperpetual.select} as the daemon's selectors: JUnit's prefixed selectors ({@code package:}, {@code class:},
 * {@code method:}) and {@code tag:} expressions, or bare names. Without a selector, every test in the project's test
 * classes ({@code --scan-class-path}).
 */
final class Selection {

    static final String FORMS = "package:PKG, class:CLASS, method:CLASS#METHOD, tag:EXPRESSION or a bare name "
            + "(com.acme.probes, CheckoutE2E, com.acme.CheckoutE2E#orderConfirmed), separated by commas";

    private Selection() {
    }

    /** The daemon's options for {@code select} (null: none); simple class names are found in {@code testClasses}. */
    static List<String> options(String select, Path testClasses) throws MojoFailureException {
        List<String> options = new ArrayList<>();
        boolean selects = false;
        for (String raw : select == null ? new String[0] : select.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String kind = colon < 0 ? bareKind(item) : item.substring(0, colon).strip();
            String value = colon < 0 ? item : item.substring(colon + 1).strip();
            if (value.isEmpty()) {
                throw invalid(item, "it names nothing");
            }
            switch (kind) {
                case "package" -> options.addAll(List.of("--select-package", value));
                case "class" -> options.addAll(List.of("--select-class", qualified(value, testClasses)));
                case "method" -> {
                    int hash = value.indexOf('#');
                    if (hash <= 0 || hash == value.length() - 1) {
                        throw invalid(item, "a method is CLASS#METHOD");
                    }
                    options.addAll(List.of("--select-method", qualified(value.substring(0, hash), testClasses)
                            + value.substring(hash)));
                }
                case "tag" -> options.addAll(List.of("--include-tag", value));
                default -> throw invalid(item, "[" + kind + ":] is no kind of selector");
            }
            selects |= !kind.equals("tag");
        }
        if (!selects) {
            options.addAll(0, List.of("--scan-class-path", testClasses.toString()));
        }
        return options;
    }

    /** A bare name's kind: with {@code #} a method, with a capital after the last dot a class, else a package. */
    private static String bareKind(String name) {
        if (name.contains("#")) {
            return "method";
        }
        String last = name.substring(name.lastIndexOf('.') + 1);
        return !last.isEmpty() && Character.isUpperCase(last.charAt(0)) ? "class" : "package";
    }

    /** {@code name} if qualified; else the one class of that simple name in {@code testClasses}. */
    private static String qualified(String name, Path testClasses) throws MojoFailureException {
        if (name.contains(".")) {
            return name;
        }
        List<String> found;
        try (Stream<Path> files = Files.walk(testClasses)) {
            found = files.filter(file -> file.getFileName().toString().equals(name + ".class"))
                    .map(file -> testClasses.relativize(file).toString()
                            .replace(file.getFileSystem().getSeparator(), ".").replaceFirst("\\.class$", ""))
                    .sorted().toList();
        }
        catch (IOException | UncheckedIOException e) {
            return name;
        }
        if (found.size() > 1) {
            throw new MojoFailureException(String.format("-D%s names the class [%s], and %s holds %d classes of that "
                    + "name %s: give its package too, such as class:%s.", DaemonMojo.SELECT, name, testClasses,
                    found.size(), found, found.get(0)));
        }
        return found.isEmpty() ? name : found.get(0);
    }

    private static MojoFailureException invalid(String item, String why) {
        return new MojoFailureException(String.format("-D%s has an invalid selector [%s]: %s. Use %s.",
                DaemonMojo.SELECT, item, why, FORMS));
    }
}

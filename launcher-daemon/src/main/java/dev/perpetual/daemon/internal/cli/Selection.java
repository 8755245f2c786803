package dev.perpetual.daemon.internal.cli;

import java.util.List;
import java.util.Map;

import dev.perpetual.worker.internal.Message;

/**
 * The Console Launcher's selection language, as given on the command line.
 *
 * @param scanClassPath    whether {@code --scan-class-path} was given
 * @param scanRoots        the roots it named, if any (else the {@code -cp} entries)
 * @param packages         {@code --select-package}
 * @param classes          {@code --select-class}
 * @param methods          {@code --select-method}
 * @param tests            {@code --select-test}: Perpetual names
 * @param includeTags      {@code --include-tag} expressions
 * @param excludeTags      {@code --exclude-tag} expressions
 * @param config           {@code --config key=value}
 * @param configResources  {@code --config-resource}
 */
record Selection(boolean scanClassPath, List<String> scanRoots, List<String> packages, List<String> classes,
        List<String> methods, List<String> tests, List<String> includeTags, List<String> excludeTags,
        Map<String, String> config, List<String> configResources) {

    boolean selectsSomething() {
        return scanClassPath || !packages.isEmpty() || !classes.isEmpty() || !methods.isEmpty() || !tests.isEmpty();
    }

    /** The selection as a worker gets it, with {@code --scan-class-path}'s roots resolved ({@code defaultRoots}). */
    Message.Selection toMessage(java.util.Set<java.nio.file.Path> defaultRoots) {
        java.util.Set<String> roots = new java.util.LinkedHashSet<>();
        for (String value : scanRoots) {
            for (String entry : value.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    roots.add(java.nio.file.Path.of(entry.strip()).toAbsolutePath().normalize().toString());
                }
            }
        }
        if (roots.isEmpty()) {
            defaultRoots.forEach(root -> roots.add(root.toString()));
        }
        return new Message.Selection(scanClassPath, List.copyOf(roots), packages, classes, methods, tests,
                includeTags, excludeTags, config, configResources);
    }
}

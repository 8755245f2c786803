package dev.perpetual.daemon.internal;

import java.util.List;
import java.util.Map;

/**
 * The Console Launcher's selection language, as given on the command line.
 *
 * @param scanClassPath    whether {@code --scan-class-path} was given
 * @param scanRoots        the roots it named, if any (else the {@code -cp} entries)
 * @param packages         {@code --select-package}
 * @param classes          {@code --select-class}
 * @param methods          {@code --select-method}
 * @param includeTags      {@code --include-tag} expressions
 * @param excludeTags      {@code --exclude-tag} expressions
 * @param config           {@code --config key=value}
 * @param configResources  {@code --config-resource}
 */
record Selection(boolean scanClassPath, List<String> scanRoots, List<String> packages, List<String> classes,
        List<String> methods, List<String> includeTags, List<String> excludeTags, Map<String, String> config,
        List<String> configResources) {

    boolean selectsSomething() {
        return scanClassPath || !packages.isEmpty() || !classes.isEmpty() || !methods.isEmpty();
    }
}

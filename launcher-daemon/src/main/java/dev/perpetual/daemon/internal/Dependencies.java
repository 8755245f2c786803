package dev.perpetual.daemon.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.perpetual.worker.internal.Message;

/**
 * Checks the tests' {@code dependsOn} at start: every name must be a selected {@code @Perpetual} test, and no test may
 * depend on itself, directly or through others. Each unknown name and each cycle is one problem.
 */
final class Dependencies {

    private Dependencies() {
    }

    static List<String> problems(Collection<Message.TestSpec> tests) {
        Map<String, List<String>> edges = new TreeMap<>();
        tests.forEach(test -> edges.put(test.name(), test.dependsOn() == null ? List.of() : test.dependsOn()));
        List<String> problems = new ArrayList<>();
        edges.forEach((test, dependencies) -> dependencies.stream().filter(name -> !edges.containsKey(name))
                .forEach(name -> problems.add(String.format("@Perpetual test [%s] depends on [%s], which is no "
                        + "selected @Perpetual test: dependsOn and perpetual.test.%s.depends-on take the names "
                        + "--list shows; fix the name or select that test too.", test, name, test))));
        Set<List<String>> cycles = new LinkedHashSet<>();
        Set<String> done = new HashSet<>();
        for (String test : edges.keySet()) {
            findCycles(test, new ArrayList<>(), edges, done, cycles);
        }
        for (List<String> cycle : cycles) {
            problems.add(String.format("@Perpetual tests depend on each other in a cycle [%s]: a test cannot wait "
                    + "for itself. Remove one of these dependencies (dependsOn or perpetual.test.<name>.depends-on).",
                    String.join(" -> ", cycle)));
        }
        return problems;
    }

    /** Depth first from {@code test}, each test explored once; a cycle is kept starting at its smallest name. */
    private static void findCycles(String test, List<String> path, Map<String, List<String>> edges, Set<String> done,
            Set<List<String>> cycles) {
        int seen = path.indexOf(test);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            Collections.rotate(cycle, -cycle.indexOf(cycle.stream().min(String::compareTo).orElseThrow()));
            cycle.add(cycle.get(0));
            cycles.add(cycle);
            return;
        }
        if (!edges.containsKey(test) || !done.add(test)) {
            return;
        }
        path.add(test);
        for (String dependency : edges.get(test)) {
            findCycles(dependency, path, edges, done, cycles);
        }
        path.remove(path.size() - 1);
    }
}

package dev.perpetual.daemon.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.spi.InvalidPerpetualTestException;
import dev.perpetual.spi.PerpetualTest;
import dev.perpetual.spi.PerpetualTests;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.SelectorResolutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * Finds the selected tests, resolves each {@code @Perpetual} test's settings, and validates everything at once, so a
 * daemon with a typo fails at start naming every problem rather than the first, or none.
 */
final class Discovery {

    static final String JUPITER = "junit-jupiter";
    static final int MAX_CONCURRENT_RUNS_DEFAULT = 64;
    private static final java.util.regex.Pattern TEST_OVERRIDE = java.util.regex.Pattern.compile(
            "perpetual\\.test\\.(.+)\\.(period|timeout|enabled|period-while-failing)");

    /** The selection selected no test at all. */
    static final class NothingSelected extends Exception {

        private static final long serialVersionUID = 1L;

        NothingSelected(String message) {
            super(message);
        }
    }

    private Discovery() {
    }

    /**
     * Discovers and validates; every problem found is added to {@code problems}.
     *
     * @throws NothingSelected when the selection holds no test
     */
    static Catalog discover(Launcher launcher, Selection selection, UserClasses classes, List<String> problems)
            throws NothingSelected {
        if (!selection.selectsSomething()) {
            throw new NothingSelected(nothingSelectedHint("No selector was given."));
        }
        Problems discoveryProblems = new Problems();
        LauncherDiscoveryRequest request = request(selection, classes, discoveryProblems);
        TestPlan plan;
        try {
            plan = launcher.discover(request);
        }
        catch (RuntimeException e) {
            problems.addAll(discoveryProblems.list);
            problems.add("Discovery failed: " + e.getMessage());
            return null;
        }
        problems.addAll(discoveryProblems.list);
        ConfigurationParameters parameters = request.getConfigurationParameters();
        Function<String, Optional<String>> config = parameters::get;

        List<ScheduledTest> scheduled = new ArrayList<>();
        List<ScheduledTest> disabled = new ArrayList<>();
        List<String> notPerpetual = new ArrayList<>();
        Map<String, ScheduledTest> byName = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier identifier : plan.getDescendants(root)) {
                if (!identifier.isTest() || !seen.add(identifier.getUniqueId())) {
                    continue;
                }
                Optional<MethodSource> source = identifier.getSource().filter(MethodSource.class::isInstance)
                        .map(MethodSource.class::cast);
                Method method = source.map(Discovery::javaMethod).orElse(null);
                if (method == null || !PerpetualTests.isPerpetual(method)) {
                    notPerpetual.add(source.map(s -> s.getClassName() + "#" + s.getMethodName())
                            .orElse(identifier.getUniqueId()));
                    continue;
                }
                PerpetualTest settings;
                try {
                    settings = PerpetualTests.resolve(source.get().getJavaClass(), method, config);
                }
                catch (InvalidPerpetualTestException e) {
                    problems.addAll(e.problems());
                    continue;
                }
                ScheduledTest test = new ScheduledTest(settings, identifier.getUniqueId(),
                        runRequest(identifier.getUniqueId(), parameters));
                ScheduledTest other = byName.putIfAbsent(settings.name(), test);
                if (other != null) {
                    List<String> both = new ArrayList<>(List.of(describe(other.settings()), describe(settings)));
                    both.sort(null);
                    problems.add(String.format("@Perpetual tests [%s] and [%s] share the name [%s]: a name must be "
                            + "unique, as the test label and in configuration keys. Give one a different "
                            + "@Perpetual(name = \"...\").", both.get(0), both.get(1), settings.name()));
                    continue;
                }
                (settings.enabled() && !test.disabledInCode() ? scheduled : disabled).add(test);
            }
        }
        if (scheduled.isEmpty() && disabled.isEmpty() && notPerpetual.isEmpty() && problems.isEmpty()) {
            throw new NothingSelected(nothingSelectedHint("The selection holds no test."));
        }
        problems.addAll(unknownKeys(parameters));
        RunGate.problem(parameters::get).ifPresent(problems::add);
        int maxConcurrentRuns = maxConcurrentRuns(parameters, problems);
        OtlpExport.validate(parameters::get, problems);
        String location = parameters.get(Constants.LOCATION).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(null);
        return new Catalog(scheduled, disabled, notPerpetual, request, maxConcurrentRuns, location,
                overridesOfNoTest(parameters, byName.keySet()));
    }

    static String nothingSelectedHint(String what) {
        return what + " Select tests with --scan-class-path, --select-package, --select-class or --select-method, "
                + "give their classes and dependencies with -cp <dirs and jars>, and check that --include-tag and "
                + "--exclude-tag do not filter them all out.";
    }

    private static LauncherDiscoveryRequest request(Selection selection, UserClasses classes, Problems problems) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        if (selection.scanClassPath()) {
            Set<Path> roots = new LinkedHashSet<>();
            for (String value : selection.scanRoots()) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        roots.add(Path.of(entry.strip()).toAbsolutePath().normalize());
                    }
                }
            }
            selectors.addAll(selectClasspathRoots(roots.isEmpty() ? classes.scanRoots() : roots));
        }
        selection.packages().forEach(name -> selectors.add(selectPackage(name)));
        selection.classes().forEach(name -> selectors.add(selectClass(name)));
        selection.methods().forEach(name -> selectors.add(selectMethod(name)));
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(EngineFilter.includeEngines(JUPITER))
                // Problems are collected and reported together below, not one at a time by an exception.
                .configurationParameter("junit.platform.discovery.listener.default", "logging")
                .configurationParameters(selection.config())
                .listeners(problems);
        if (!selection.configResources().isEmpty()) {
            builder.configurationParametersResources(selection.configResources().toArray(String[]::new));
        }
        if (!selection.includeTags().isEmpty()) {
            builder.filters(TagFilter.includeTags(selection.includeTags()));
        }
        if (!selection.excludeTags().isEmpty()) {
            builder.filters(TagFilter.excludeTags(selection.excludeTags()));
        }
        return builder.build();
    }

    /** The request of one test's runs: its unique id, and the configuration discovery saw. Reused every run. */
    static LauncherDiscoveryRequest runRequest(String uniqueId, ConfigurationParameters parameters) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(uniqueId))
                .filters(EngineFilter.includeEngines(JUPITER))
                .parentConfigurationParameters(parameters)
                .enableImplicitConfigurationParameters(false)
                .build();
    }

    private static Method javaMethod(MethodSource source) {
        try {
            return source.getJavaMethod();
        }
        catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String describe(PerpetualTest test) {
        return test.testClass().getName() + "#" + test.method().getName();
    }

    static List<String> unknownKeys(ConfigurationParameters parameters) {
        List<String> problems = new ArrayList<>();
        @SuppressWarnings("deprecation")
        Set<String> keys = new TreeSet<>(parameters.keySet());
        for (String key : keys) {
            if (!Constants.isKnownKey(key)) {
                String suggestion = nearestKnownKey(key).map(known -> " Did you mean '" + known + "'?").orElse("");
                problems.add(String.format("Unknown configuration parameter '%s' [%s]: Perpetual has no such key.%s "
                        + "Keys of your tests' own belong under 'perpetual.env.'.", key,
                        parameters.get(key).orElse(""), suggestion));
            }
        }
        return problems;
    }

    /**
     * Warnings for {@code perpetual.test.<name>.*} keys that name no selected test: a typo in a name, or a key meant
     * for another daemon's selection (so a warning, not a problem).
     */
    static List<String> overridesOfNoTest(ConfigurationParameters parameters, Set<String> names) {
        List<String> warnings = new ArrayList<>();
        @SuppressWarnings("deprecation")
        Set<String> keys = new TreeSet<>(parameters.keySet());
        for (String key : keys) {
            java.util.regex.Matcher override = TEST_OVERRIDE.matcher(key);
            if (override.matches() && !names.contains(override.group(1))) {
                warnings.add(String.format("Configuration parameter '%s' names no selected @Perpetual test [%s]: "
                        + "check the name against --list.", key, override.group(1)));
            }
        }
        return warnings;
    }

    private static Optional<String> nearestKnownKey(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : Constants.knownKeys()) {
            int distance = distance(key, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return bestDistance <= 3 ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static int maxConcurrentRuns(ConfigurationParameters parameters, List<String> problems) {
        Optional<String> value = parameters.get(Constants.DAEMON_MAX_CONCURRENT_RUNS).map(String::strip);
        if (value.isEmpty()) {
            return MAX_CONCURRENT_RUNS_DEFAULT;
        }
        try {
            int runs = Integer.parseInt(value.get());
            if (runs >= 1) {
                return runs;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use a whole number, 1 or "
                + "more (default %d).", Constants.DAEMON_MAX_CONCURRENT_RUNS, value.get(),
                MAX_CONCURRENT_RUNS_DEFAULT));
        return MAX_CONCURRENT_RUNS_DEFAULT;
    }

    /** Collects selectors that selected nothing and discovery issues, as problems. */
    private static final class Problems implements LauncherDiscoveryListener {

        final List<String> list = new ArrayList<>();

        @Override
        public void selectorProcessed(UniqueId engineId, DiscoverySelector selector, SelectorResolutionResult result) {
            String name = selector.toIdentifier().map(Object::toString).orElse(selector.toString());
            switch (result.getStatus()) {
                case UNRESOLVED -> add(String.format("Selector [%s] selected nothing: check the name, and that -cp "
                        + "holds its class.", name));
                case FAILED -> add(String.format("Selector [%s] failed: %s. Check the name, and that -cp holds its "
                        + "class and its dependencies.", name,
                        result.getThrowable().map(Throwable::toString).orElse("unknown error")));
                default -> {
                }
            }
        }

        @Override
        public void issueEncountered(UniqueId engineId, DiscoveryIssue issue) {
            if (issue.severity().compareTo(DiscoveryIssue.Severity.ERROR) >= 0) {
                add(issue.message() + issue.source().map(source -> " [" + source + "]").orElse(""));
            }
        }

        private synchronized void add(String problem) {
            if (!list.contains(problem)) {
                list.add(problem);
            }
        }
    }
}

package dev.perpetual.worker.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import dev.perpetual.internal.Requirements;
import dev.perpetual.spi.ConfigurationCheck;
import dev.perpetual.spi.InvalidPerpetualTestException;
import dev.perpetual.spi.PerpetualTest;
import dev.perpetual.spi.PerpetualTests;
import org.junit.jupiter.api.Disabled;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
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
 * Finds the selected tests on the user's class path and resolves each {@code @Perpetual} test's settings, collecting
 * every problem at once, so a daemon with a typo fails at start naming every problem rather than the first. The
 * supervisor checks its own settings against the configuration this reports.
 */
final class WorkerDiscovery {

    /**
     * JUnit's logging discovery listener prints a stack trace for each selector that fails, and its issue notifier
     * the issues it found; {@link Problems} reports each once, in words. Held here, so that the setting is not
     * collected with the loggers.
     */
    private static final List<java.util.logging.Logger> JUNIT_DISCOVERY_LOGS = List.of(
            java.util.logging.Logger.getLogger(
                    "org.junit.platform.launcher.listeners.discovery.LoggingLauncherDiscoveryListener"),
            java.util.logging.Logger.getLogger("org.junit.platform.launcher.core.DiscoveryIssueNotifier"));

    static {
        JUNIT_DISCOVERY_LOGS.forEach(log -> log.setLevel(java.util.logging.Level.OFF));
    }

    private WorkerDiscovery() {
    }

    /**
     * The request the selection makes, with its configuration: what every run's request inherits. A key of
     * {@code defaults} applies unless the user's configuration sets it. {@code engine}: the id of the session's
     * Jupiter engine.
     */
    static LauncherDiscoveryRequest request(Message.Selection selection, Map<String, String> defaults,
            Problems listener, String engine) {
        LauncherDiscoveryRequest request = build(selection, Map.of(), listener, engine);
        Map<String, String> missing = new LinkedHashMap<>();
        defaults.forEach((key, value) -> {
            if (request.getConfigurationParameters().get(key).isEmpty()) {
                missing.put(key, value);
            }
        });
        return missing.isEmpty() ? request : build(selection, missing, listener, engine);
    }

    private static LauncherDiscoveryRequest build(Message.Selection selection, Map<String, String> extra,
            Problems listener, String engine) {
        List<DiscoverySelector> selectors = new ArrayList<>();
        if (selection.scanClassPath() || selection.onlyTests()) {
            Set<Path> roots = new LinkedHashSet<>();
            selection.scanRoots().forEach(root -> roots.add(Path.of(root)));
            selectors.addAll(selectClasspathRoots(roots));
        }
        selection.packages().forEach(name -> selectors.add(selectPackage(name)));
        selection.classes().forEach(name -> selectors.add(selectClass(name)));
        selection.methods().forEach(name -> methodSelector(name, listener).ifPresent(selectors::add));
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(EngineFilter.includeEngines(engine))
                // Problems are collected and reported together, not one at a time by an exception.
                .configurationParameter("junit.platform.discovery.listener.default", "logging")
                .configurationParameters(selection.config())
                .configurationParameters(extra)
                .listeners(listener);
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

    /**
     * {@code --select-method}: {@code Class#method(params)} as JUnit has it; {@code Class#method} alone selects the
     * method of that name when the class has one, and is one problem naming the candidates when it has several or
     * none, or its class cannot be loaded.
     */
    private static Optional<DiscoverySelector> methodSelector(String name, Problems problems) {
        int hash = name.indexOf('#');
        if (hash < 0 || name.indexOf('(', hash) >= 0) {
            return Optional.of(selectMethod(name));
        }
        String className = name.substring(0, hash).strip();
        String methodName = name.substring(hash + 1).strip();
        Class<?> type;
        try {
            type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        }
        catch (ClassNotFoundException | LinkageError e) {
            problems.add(String.format("--select-method %s: no class %s on the class path (-cp): check the name, "
                    + "and that -cp holds its class and its dependencies%s.", name, className,
                    e instanceof ClassNotFoundException ? "" : " (" + e + ")"));
            return Optional.empty();
        }
        List<Method> candidates = ReflectionSupport.findMethods(type, method -> method.getName().equals(methodName),
                HierarchyTraversalMode.TOP_DOWN);
        if (candidates.size() == 1) {
            return Optional.of(selectMethod(type, candidates.get(0)));
        }
        if (candidates.isEmpty()) {
            List<String> perpetual = ReflectionSupport.findMethods(type, PerpetualTests::isPerpetual,
                    HierarchyTraversalMode.TOP_DOWN).stream().map(Method::getName).distinct().sorted().toList();
            problems.add(String.format("--select-method %s: %s has no method %s%s.", name, type.getSimpleName(),
                    methodName, perpetual.isEmpty() ? " and no @Perpetual method"
                            : "; its @Perpetual methods are " + String.join(", ", perpetual)));
            return Optional.empty();
        }
        problems.add(String.format("--select-method %s is ambiguous: %s has %d methods of that name; give the "
                + "parameters of one: %s.", name, type.getSimpleName(), candidates.size(), candidates.stream()
                        .map(method -> className + "#" + methodName + "(" + java.util.Arrays.stream(
                                method.getParameterTypes()).map(Class::getName).collect(
                                        java.util.stream.Collectors.joining(", ")) + ")")
                        .collect(java.util.stream.Collectors.joining(" or "))));
        return Optional.empty();
    }

    /** Discovers what {@code request} selects; {@code problems} collected what the request's listener saw. */
    static Message.Catalog discover(Launcher launcher, LauncherDiscoveryRequest request, Problems problems) {
        return discover(launcher, request, problems, List.of());
    }

    /**
     * As {@link #discover(Launcher, LauncherDiscoveryRequest, Problems)}, keeping only the tests named {@code names}
     * ({@code --select-test}), when any; a name no test has is a problem listing the names there are.
     */
    static Message.Catalog discover(Launcher launcher, LauncherDiscoveryRequest request, Problems problems,
            List<String> names) {
        TestPlan plan;
        // A library older than Perpetual needs, reported at start rather than as a NoSuchMethodError in a run.
        List<String> found = new ArrayList<>(Requirements.problems());
        try {
            plan = launcher.discover(request);
        }
        catch (RuntimeException | LinkageError e) {
            found.addAll(problems.list());
            found.add("Discovery failed: " + e);
            return new Message.Catalog(List.of(), List.of(), found, List.of(), config(request));
        }
        found.addAll(problems.list());
        // Every module's keys (the extension, the browser probes, …), checked once here rather than in every run.
        found.addAll(ConfigurationCheck.all(Thread.currentThread().getContextClassLoader(), config(request)));
        ConfigurationParameters parameters = request.getConfigurationParameters();
        Function<String, Optional<String>> config = parameters::get;
        SetUpAllowance.problem(config).ifPresent(found::add);

        List<Message.TestSpec> tests = new ArrayList<>();
        List<String> notPerpetual = new ArrayList<>();
        Map<String, PerpetualTest> byName = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier identifier : plan.getDescendants(root)) {
                if (!identifier.isTest() || !seen.add(identifier.getUniqueId())) {
                    continue;
                }
                Optional<MethodSource> source = identifier.getSource().filter(MethodSource.class::isInstance)
                        .map(MethodSource.class::cast);
                Method method = source.map(WorkerDiscovery::javaMethod).orElse(null);
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
                    found.addAll(e.problems());
                    continue;
                }
                PerpetualTest other = byName.putIfAbsent(settings.name(), settings);
                if (other != null) {
                    List<String> both = new ArrayList<>(List.of(describe(other), describe(settings)));
                    both.sort(null);
                    found.add(String.format("@Perpetual tests [%s] and [%s] share the name [%s]: a name must be "
                            + "unique, as the test label and in configuration keys. Give one a different "
                            + "@Perpetual(name = \"...\").", both.get(0), both.get(1), settings.name()));
                    continue;
                }
                tests.add(spec(settings, identifier.getUniqueId()));
            }
        }
        if (!names.isEmpty()) {
            Set<String> all = new java.util.TreeSet<>();
            tests.forEach(test -> all.add(test.name()));
            for (String name : new LinkedHashSet<>(names)) {
                if (!all.contains(name.strip())) {
                    found.add(String.format("--select-test %s: no @Perpetual test is named so in the selection%s",
                            name, all.isEmpty() ? "." : "; its tests are named " + named(all) + " (see --list)."));
                }
            }
            Set<String> wanted = new LinkedHashSet<>();
            names.forEach(name -> wanted.add(name.strip()));
            tests.removeIf(test -> !wanted.contains(test.name()));
            notPerpetual.clear(); // what was scanned to find the names is not the selection
        }
        List<String> nothing = tests.isEmpty() && notPerpetual.isEmpty() && found.isEmpty()
                ? List.of("The selection holds no test.") : List.of();
        return new Message.Catalog(tests, notPerpetual, found, nothing, config(request));
    }

    /**
     * The request of one test's runs: its unique id, and the configuration discovery saw; {@code engine}, the id of
     * the session's Jupiter engine. Reused every run.
     */
    static LauncherDiscoveryRequest runRequest(String uniqueId, ConfigurationParameters parameters, String engine) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(uniqueId))
                .filters(EngineFilter.includeEngines(engine))
                .parentConfigurationParameters(parameters)
                .enableImplicitConfigurationParameters(false)
                .build();
    }

    private static Message.TestSpec spec(PerpetualTest settings, String uniqueId) {
        String disabled = disabledReason(settings);
        return new Message.TestSpec(settings.name(), settings.testClass().getName(), settings.method().getName(),
                uniqueId, settings.period().toNanos(), settings.timeout().toNanos(),
                settings.overlap().name(), settings.retries(),
                settings.periodWhileFailing().map(java.time.Duration::toNanos).orElse(0L), disabled,
                org.junit.platform.commons.support.AnnotationSupport.findAnnotation(settings.method(),
                        org.junit.jupiter.api.DisplayName.class).map(org.junit.jupiter.api.DisplayName::value)
                        .orElse(null), settings.dependsOn(), settings.objective().orElse(0));
    }

    /** Why the test is not scheduled: its {@code @Disabled} (with its reason), else the configuration key; or null. */
    private static String disabledReason(PerpetualTest settings) {
        Optional<Disabled> disabled = AnnotationSupport.findAnnotation(settings.method(), Disabled.class)
                .or(() -> AnnotationSupport.findAnnotation(settings.testClass(), Disabled.class));
        if (disabled.isPresent()) {
            return "@Disabled" + (disabled.get().value().isBlank() ? "" : ": " + disabled.get().value());
        }
        return settings.enabled() ? null : "perpetual.test." + settings.name() + ".enabled=false";
    }

    @SuppressWarnings("deprecation")
    private static Map<String, String> config(LauncherDiscoveryRequest request) {
        ConfigurationParameters parameters = request.getConfigurationParameters();
        Map<String, String> config = new TreeMap<>();
        for (String key : parameters.keySet()) {
            parameters.get(key).ifPresent(value -> config.put(key, value));
        }
        return config;
    }

    private static Method javaMethod(MethodSource source) {
        try {
            return source.getJavaMethod();
        }
        catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** At most 20 names, then how many more. */
    private static String named(Set<String> names) {
        List<String> shown = names.stream().limit(20).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? " and " + (names.size() - shown.size())
                + " more" : "");
    }

    private static String describe(PerpetualTest test) {
        return test.testClass().getName() + "#" + test.method().getName();
    }

    /** Collects selectors that selected nothing and discovery issues, as problems. */
    static final class Problems implements LauncherDiscoveryListener {

        private final List<String> list = new ArrayList<>();

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

        synchronized void add(String problem) {
            if (!list.contains(problem)) {
                list.add(problem);
            }
        }

        synchronized List<String> list() {
            return List.copyOf(list);
        }
    }
}

package dev.perpetual.worker.internal.reuse;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.EngineDiscoveryListener;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.SelectorResolutionResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.UniqueId;

/**
 * One full Jupiter discovery of a top-level class, made from a run's request: the same configuration, filters and
 * output directories, the class's unique id as the one selector, and a listener of its own, so that the run's
 * listeners hear only of the run's selector. Any issue or unresolved selector makes the class unusable for reuse.
 */
final class ClassDiscovery {

    private ClassDiscovery() {
    }

    /** The class's tree, or why it cannot be reused. */
    static Result discover(TestEngine jupiter, JupiterInternals internals, EngineDiscoveryRequest request,
            UniqueId engineId, UniqueId classId) {
        Heard heard = new Heard();
        DiscoverySelector selector = selectUniqueId(classId);
        TestDescriptor root;
        try {
            root = jupiter.discover(request(request, selector, heard), engineId);
        }
        catch (RuntimeException | LinkageError e) {
            return Result.unusable(String.format("discovering [%s] failed: %s", classId, e));
        }
        finally {
            heard.close();
        }
        if (!heard.issues.isEmpty()) {
            DiscoveryIssue first = heard.issues.get(0);
            return Result.unusable(String.format("discovering [%s] reported %d issue(s), the first: %s %s", classId,
                    heard.issues.size(), first.severity(), first.message()));
        }
        // The class's selector, and those Jupiter derives from it (its methods, its nested classes): all resolved.
        if (heard.results.isEmpty() || heard.results.stream()
                .anyMatch(result -> result.getStatus() != SelectorResolutionResult.Status.RESOLVED)) {
            return Result.unusable(String.format("discovering [%s] did not resolve it: %s", classId, heard.results));
        }
        if (root.getChildren().size() != 1) {
            return Result.unusable(String.format("discovering [%s] found %d classes", classId,
                    root.getChildren().size()));
        }
        try {
            return new Result(ClassTree.capture(root, internals), null);
        }
        catch (RuntimeException e) {
            return Result.unusable(String.format("the tree of [%s] could not be captured: %s", classId, e));
        }
    }

    /**
     * {@code request} with {@code selector} and {@code listener} instead of its own: a proxy, because the interface
     * has other methods in JUnit 5.13 than in 6.x ({@code getOutputDirectoryProvider}, {@code
     * getOutputDirectoryCreator}) and each must reach the request as it is.
     */
    private static EngineDiscoveryRequest request(EngineDiscoveryRequest request, DiscoverySelector selector,
            EngineDiscoveryListener listener) {
        return (EngineDiscoveryRequest) Proxy.newProxyInstance(EngineDiscoveryRequest.class.getClassLoader(),
                new Class<?>[] { EngineDiscoveryRequest.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getSelectorsByType") && args != null && args.length == 1) {
                        Class<?> type = (Class<?>) args[0];
                        return type.isInstance(selector) ? List.of(selector) : List.of();
                    }
                    if (method.getName().equals("getDiscoveryListener") && (args == null || args.length == 0)) {
                        return listener;
                    }
                    return invoke(method, request, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** What the class's discovery reported; deaf once it is over (the configuration keeps it as its reporter). */
    private static final class Heard implements EngineDiscoveryListener {

        private final List<DiscoveryIssue> issues = new ArrayList<>();
        private final List<SelectorResolutionResult> results = new ArrayList<>();
        private boolean closed;

        @Override
        public synchronized void selectorProcessed(UniqueId engineId, DiscoverySelector selector,
                SelectorResolutionResult result) {
            if (!closed) {
                results.add(result);
            }
        }

        @Override
        public synchronized void issueEncountered(UniqueId engineId, DiscoveryIssue issue) {
            if (!closed) {
                issues.add(issue);
            }
        }

        synchronized void close() {
            closed = true;
        }
    }

    /** A class's tree, or (then null) why it cannot be reused; or neither: every tree is lent out. */
    record Result(ClassTree tree, String unusable) {

        static final Result BUSY = new Result(null, null);

        static Result unusable(String why) {
            return new Result(null, why);
        }
    }
}

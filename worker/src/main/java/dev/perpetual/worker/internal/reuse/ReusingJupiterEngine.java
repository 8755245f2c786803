package dev.perpetual.worker.internal.reuse;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apiguardian.api.API;
import org.junit.platform.engine.DiscoveryFilter;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.SelectorResolutionResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.UniqueIdSelector;

/**
 * The worker's Jupiter: a {@link TestEngine} that hands each discovery of one test method by its unique id (a run's
 * request) a tree Jupiter discovered once for the method's whole class, cut down to that method, instead of
 * discovering the class again; and executes through Jupiter, then takes the tree back. Everything else it does not
 * know (other selectors, filters, a discovery with issues, a descriptor kind it was not checked against, reuse turned
 * off) goes to Jupiter's own discovery, as without it; the reason is logged once.
 *
 * <p>Its id is {@value #ID}, not {@code junit-jupiter}: the Launcher reserves that id for Jupiter's own class. The
 * descriptors keep Jupiter's unique ids ({@code [engine:junit-jupiter]/…}), so listeners, reports and selectors see
 * what they see without it.
 *
 * <p>A tree is lent from a discovery to the execution that follows it on the same thread (the Launcher's {@code
 * execute(request)}), and to one run at a time; a class has a bounded number of trees, and a run that finds them all
 * lent discovers afresh; a tree whose run was abandoned ({@link #discard}), or whose execution
 * threw, is dropped, never lent again.
 */
@API(status = INTERNAL, since = "0.3")
public final class ReusingJupiterEngine implements TestEngine {

    /** This engine's id, for the worker's engine filters: {@value}. */
    public static final String ID = "perpetual-jupiter";

    private static final String JUPITER_ID = "junit-jupiter";

    private final TestEngine jupiter;
    private final JupiterInternals internals;
    private final Consumer<String> log;
    private final int treesPerClass;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final Configurations configurations = new Configurations();
    private final Map<PoolKey, ClassTreePool> pools = new ConcurrentHashMap<>();
    private final Map<Thread, Lease> lent = new ConcurrentHashMap<>();

    private ReusingJupiterEngine(TestEngine jupiter, JupiterInternals internals, Consumer<String> log,
            int treesPerClass) {
        this.jupiter = jupiter;
        this.internals = internals;
        this.log = log;
        this.treesPerClass = treesPerClass;
    }

    /**
     * A reusing engine around {@code jupiter}, or why its Jupiter cannot be reused (then use {@code jupiter});
     * {@code treesPerClass}: the most trees of one class at once (more runs of the class at once discover afresh).
     */
    static Optional<ReusingJupiterEngine> around(TestEngine jupiter, Consumer<String> log,
            Consumer<String> unsupported, int treesPerClass) {
        JupiterInternals.Inspection inspection = JupiterInternals.inspect(jupiter);
        inspection.usable().ifPresentOrElse(internals -> { }, () -> unsupported.accept(inspection.unsupported()));
        return inspection.usable().map(internals -> new ReusingJupiterEngine(jupiter, internals, log,
                treesPerClass));
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return jupiter.getGroupId();
    }

    @Override
    public Optional<String> getArtifactId() {
        return jupiter.getArtifactId();
    }

    @Override
    public Optional<String> getVersion() {
        return jupiter.getVersion();
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        UniqueId engineId = jupiterId(uniqueId);
        Lease unexecuted = lent.remove(Thread.currentThread());
        if (unexecuted != null) {
            unexecuted.pool.dropped(); // a tree discovered and never executed: dropped
        }
        Optional<UniqueId> method = oneMethod(request, engineId);
        if (method.isEmpty()) {
            return jupiter.discover(request, engineId); // not a run's request: nothing to reuse
        }
        Configurations.Key configuration = configurations.of(request.getConfigurationParameters());
        if (configuration.off() != null) {
            return fresh(request, engineId, configuration.off());
        }
        UniqueId classId = engineId.append(method.get().getSegments().get(1));
        ClassTreePool pool = pools.computeIfAbsent(new PoolKey(configuration, classId),
                key -> new ClassTreePool(treesPerClass));
        ClassDiscovery.Result taken = pool.take(() -> ClassDiscovery.discover(jupiter, internals, request, engineId,
                classId));
        if (taken.tree() == null) {
            return taken.unusable() == null ? jupiter.discover(request, engineId) // every tree lent out
                    : fresh(request, engineId, taken.unusable());
        }
        ClassTree tree = taken.tree();
        ClassTree.Path path = tree.pathTo(method.get());
        if (path.unusable() != null) {
            pool.giveBack(tree);
            return fresh(request, engineId, path.unusable());
        }
        TestDescriptor root;
        try {
            root = tree.cutTo(path);
        }
        catch (RuntimeException e) {
            pool.dropped(); // left half cut: never lent again
            return fresh(request, engineId, String.format("the tree of [%s] could not be cut to [%s]: %s", classId,
                    method.get(), e));
        }
        lent.put(Thread.currentThread(), new Lease(pool, tree));
        request.getDiscoveryListener().selectorProcessed(engineId,
                request.getSelectorsByType(UniqueIdSelector.class).get(0), SelectorResolutionResult.resolved());
        return root;
    }

    @Override
    public void execute(ExecutionRequest request) {
        Thread self = Thread.currentThread();
        Lease lease = lent.get(self);
        if (lease == null || lease.tree.root() != request.getRootTestDescriptor()) {
            jupiter.execute(request);
            return;
        }
        boolean returned = false;
        try {
            jupiter.execute(request);
            returned = true;
        }
        finally {
            lent.remove(self, lease);
            if (returned && !lease.discarded) {
                lease.pool.giveBack(lease.tree);
            }
            else {
                lease.pool.dropped();
            }
        }
    }

    /**
     * The run on {@code thread} was abandoned (stuck past its deadline): the tree it holds, if any, is dropped when
     * (if ever) its execution returns, never lent again.
     */
    public void discard(Thread thread) {
        Lease lease = lent.get(thread);
        if (lease != null) {
            lease.discarded = true;
        }
    }

    /** Trees discovered so far for the class {@code className}, under every configuration. */
    int discovered(String className) {
        return pools.entrySet().stream().filter(entry -> entry.getKey().isClass(className))
                .mapToInt(entry -> entry.getValue().discovered()).sum();
    }

    /** Trees of {@code className} that no run holds. */
    int idle(String className) {
        return pools.entrySet().stream().filter(entry -> entry.getKey().isClass(className))
                .mapToInt(entry -> entry.getValue().idle()).sum();
    }

    private TestDescriptor fresh(EngineDiscoveryRequest request, UniqueId engineId, String why) {
        if (logged.add(why)) {
            log.accept("perpetual worker: discovery not reused, " + why + "; such runs discover their test afresh.");
        }
        return jupiter.discover(request, engineId);
    }

    /**
     * The one method the request selects, by a unique id of Jupiter's {@code class}, {@code nested-class} and {@code
     * method} segments, with no discovery filter; or empty.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Optional<UniqueId> oneMethod(EngineDiscoveryRequest request, UniqueId engineId) {
        List<DiscoverySelector> selectors = request.getSelectorsByType(DiscoverySelector.class);
        if (selectors.size() != 1 || !(selectors.get(0) instanceof UniqueIdSelector selector)
                || !request.getFiltersByType((Class) DiscoveryFilter.class).isEmpty()) {
            return Optional.empty();
        }
        UniqueId id = selector.getUniqueId();
        List<UniqueId.Segment> segments = id.getSegments();
        if (segments.size() < 3 || !id.hasPrefix(engineId) || engineId.getSegments().size() != 1
                || !segments.get(1).getType().equals("class")
                || !segments.get(segments.size() - 1).getType().equals("method")) {
            return Optional.empty();
        }
        for (int i = 2; i < segments.size() - 1; i++) {
            if (!segments.get(i).getType().equals("nested-class")) {
                return Optional.empty();
            }
        }
        return Optional.of(id);
    }

    /** The id Jupiter's descriptors would have under this Launcher: this engine's, named as Jupiter. */
    private static UniqueId jupiterId(UniqueId uniqueId) {
        List<UniqueId.Segment> segments = uniqueId.getSegments();
        if (segments.size() == 1) {
            return UniqueId.forEngine(JUPITER_ID);
        }
        return uniqueId.removeLastSegment().appendEngine(JUPITER_ID);
    }

    private record PoolKey(Configurations.Key configuration, UniqueId classId) {

        boolean isClass(String className) {
            return classId.getLastSegment().getValue().equals(className);
        }
    }

    /** A tree lent to the run on one thread, from its discovery to the end of its execution. */
    private static final class Lease {

        private final ClassTreePool pool;
        private final ClassTree tree;
        private volatile boolean discarded;

        Lease(ClassTreePool pool, ClassTree tree) {
            this.pool = pool;
            this.tree = tree;
        }
    }
}

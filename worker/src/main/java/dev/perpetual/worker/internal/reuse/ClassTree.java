package dev.perpetual.worker.internal.reuse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;

/**
 * One tree of descriptors Jupiter discovered for a whole top-level class (its {@code @Nested} classes included), with
 * what a run may take from it: the parent of every descriptor and the lifecycle methods of every class, as discovery
 * left them. Lent to one run at a time, cut down to the path of that run's method.
 */
final class ClassTree {

    private final TestDescriptor root;
    private final JupiterInternals internals;
    private final Map<UniqueId, TestDescriptor> byId = new HashMap<>();
    private final Map<TestDescriptor, TestDescriptor> parents = new IdentityHashMap<>();
    private final Map<TestDescriptor, Object> lifecycleMethods = new IdentityHashMap<>();

    private ClassTree(TestDescriptor root, JupiterInternals internals) {
        this.root = root;
        this.internals = internals;
        capture(root);
    }

    /** The tree under {@code root}, the engine's descriptor, captured right after discovery. */
    static ClassTree capture(TestDescriptor root, JupiterInternals internals) {
        return new ClassTree(root, internals);
    }

    private void capture(TestDescriptor descriptor) {
        byId.put(descriptor.getUniqueId(), descriptor);
        if (internals.holdsLifecycleMethods(descriptor)) {
            Object methods = internals.lifecycleMethods(descriptor);
            if (methods == null) {
                throw new IllegalStateException(String.format("[%s] has no lifecycle methods right after discovery",
                        descriptor.getUniqueId()));
            }
            lifecycleMethods.put(descriptor, methods);
        }
        for (TestDescriptor child : descriptor.getChildren()) {
            parents.put(child, descriptor);
            capture(child);
        }
    }

    TestDescriptor root() {
        return root;
    }

    /** Descriptors in the tree, the engine's included. */
    int size() {
        return byId.size();
    }

    /**
     * The path from the root to {@code method}, or why there is none to reuse: the method is not in this tree (the
     * fresh discovery then says what it is), or a descriptor on the path is of a kind reuse does not know.
     */
    Path pathTo(UniqueId method) {
        TestDescriptor node = byId.get(method);
        if (node == null || !node.isTest()) {
            return new Path(List.of(), String.format("[%s] is not a test method of its class's discovered tree",
                    method));
        }
        List<TestDescriptor> path = new ArrayList<>();
        for (TestDescriptor at = node; at != null; at = parents.get(at)) {
            if (!internals.reusable(at)) {
                return new Path(List.of(), String.format("[%s] on the path of [%s] is a %s, which reuse does not "
                        + "know", at.getUniqueId(), method, at.getClass().getName()));
            }
            path.add(at);
        }
        Collections.reverse(path);
        return new Path(path, null);
    }

    /**
     * Makes {@code path} (from {@link #pathTo}) the whole tree: each descriptor on it the only child of its parent,
     * whatever the last run or the Launcher removed, and each class's lifecycle methods back as discovery found them.
     * Touches only the descriptors on the path and their current children: the cost does not grow with the class.
     */
    TestDescriptor cutTo(Path path) {
        List<TestDescriptor> nodes = path.nodes();
        for (int i = 1; i < nodes.size(); i++) {
            TestDescriptor parent = nodes.get(i - 1);
            TestDescriptor child = nodes.get(i);
            boolean present = false;
            // A copy: JUnit 5.13's getChildren() is a view of the set removeChild changes (6.x copies it itself).
            for (TestDescriptor other : List.copyOf(parent.getChildren())) {
                if (other == child) {
                    present = true;
                }
                else {
                    parent.removeChild(other);
                }
            }
            if (!present || child.getParent().orElse(null) != parent) {
                parent.addChild(child);
            }
        }
        TestDescriptor method = nodes.get(nodes.size() - 1);
        for (TestDescriptor child : List.copyOf(method.getChildren())) {
            method.removeChild(child);
        }
        for (TestDescriptor node : nodes) {
            Object methods = lifecycleMethods.get(node);
            if (methods != null) {
                internals.restore(node, methods);
            }
        }
        return root;
    }

    /** The descriptors from the root to a method, or (then empty) why it cannot be reused. */
    record Path(List<TestDescriptor> nodes, String unusable) {
    }
}

package dev.perpetual.worker.internal.reuse;

import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The trees of one top-level class (under one configuration): those no run holds, and how many exist. A run takes an
 * idle one, or has a new one discovered while the class has fewer than its bound, and gives it back after it ran; a
 * run that finds every tree lent and the bound reached discovers its test afresh, as without reuse. The bound keeps
 * a crowd of concurrent first runs (a daemon's start) from each discovering, and holding, a whole class. A class
 * whose discovery could not be reused stays so, with its reason.
 */
final class ClassTreePool {

    private final int bound;
    private final Deque<ClassTree> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger trees = new AtomicInteger();
    private final AtomicInteger discovered = new AtomicInteger();
    private volatile String unusable;

    /** {@code bound}: the most trees of the class at once, 1 or more. */
    ClassTreePool(int bound) {
        this.bound = bound;
    }

    /**
     * An idle tree, or a new one {@code discovery} makes; or why the class cannot be reused; or neither, when every
     * tree is lent out and the bound reached.
     */
    ClassDiscovery.Result take(Supplier<ClassDiscovery.Result> discovery) {
        String why = unusable;
        if (why != null) {
            return ClassDiscovery.Result.unusable(why);
        }
        ClassTree tree = idle.pollFirst();
        if (tree != null) {
            return new ClassDiscovery.Result(tree, null);
        }
        int count = trees.get();
        if (count >= bound || !trees.compareAndSet(count, count + 1)) {
            return ClassDiscovery.Result.BUSY;
        }
        ClassDiscovery.Result result = discovery.get();
        if (result.tree() == null) {
            trees.decrementAndGet();
            if (result.unusable() != null) {
                unusable = result.unusable();
            }
        }
        else {
            discovered.incrementAndGet();
        }
        return result;
    }

    /** {@code tree}, lent by {@link #take}, is no run's any more. */
    void giveBack(ClassTree tree) {
        idle.addFirst(tree);
    }

    /** A tree lent by {@link #take} is not coming back (its run was abandoned, or its execution threw). */
    void dropped() {
        trees.decrementAndGet();
    }

    /** How many trees of the class were discovered: one per run that found none idle, below the bound. */
    int discovered() {
        return discovered.get();
    }

    int idle() {
        return idle.size();
    }

    Optional<String> unusable() {
        return Optional.ofNullable(unusable);
    }
}

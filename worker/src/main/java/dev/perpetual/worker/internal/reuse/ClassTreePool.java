package dev.perpetual.worker.internal.reuse;

import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The trees of one top-level class (under one configuration) that no run holds. A run takes one, or has a new one
 * discovered when every tree is lent out, and gives it back after it ran: as many trees as runs of the class ever ran
 * at once. A class whose discovery could not be reused stays so, with its reason.
 */
final class ClassTreePool {

    private final Deque<ClassTree> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger discovered = new AtomicInteger();
    private volatile String unusable;

    /** An idle tree, or a new one {@code discovery} makes; or why the class cannot be reused. */
    ClassDiscovery.Result take(Supplier<ClassDiscovery.Result> discovery) {
        String why = unusable;
        if (why != null) {
            return ClassDiscovery.Result.unusable(why);
        }
        ClassTree tree = idle.pollFirst();
        if (tree != null) {
            return new ClassDiscovery.Result(tree, null);
        }
        ClassDiscovery.Result result = discovery.get();
        if (result.unusable() != null) {
            unusable = result.unusable();
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

    /** How many trees of the class were discovered: one per run that found none idle. */
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

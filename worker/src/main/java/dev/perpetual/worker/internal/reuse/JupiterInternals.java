package dev.perpetual.worker.internal.reuse;

import java.lang.reflect.Field;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;

/**
 * What reusing a discovered tree needs from inside Jupiter, checked once: a version of the lines it was read against,
 * the private {@code ClassBasedTestDescriptor.lifecycleMethods} that {@code cleanUp} clears after each execution (the
 * only state a descriptor of the reused kinds loses; {@code testInstanceFactory} is resolved again in {@code prepare}),
 * and the descriptor kinds that may lie on a reused path.
 */
final class JupiterInternals {

    /** The Jupiter lines whose descriptors were read for this (5.13.4, 6.0.3, 6.1.3). */
    static final List<String> LINES = List.of("5.13.", "5.14.", "6.0.", "6.1.");

    private static final String PACKAGE = "org.junit.jupiter.engine.descriptor.";
    private static final String CLASS_BASED = PACKAGE + "ClassBasedTestDescriptor";
    private static final String LIFECYCLE_METHODS = CLASS_BASED + "$LifecycleMethods";

    /**
     * Descriptors that may lie on a reused path: their state after an execution is what discovery left, but for the
     * restored field. Templates, factories and class templates add and remove children as they run: never reused.
     */
    private static final Set<String> PATH_KINDS = Set.of(PACKAGE + "JupiterEngineDescriptor",
            PACKAGE + "ClassTestDescriptor", PACKAGE + "NestedClassTestDescriptor", PACKAGE + "TestMethodTestDescriptor");

    private final Class<?> classBased;
    private final Field lifecycleMethods;

    private JupiterInternals(Class<?> classBased, Field lifecycleMethods) {
        this.classBased = classBased;
        this.lifecycleMethods = lifecycleMethods;
    }

    /** The internals of {@code jupiter}, or why a tree of its cannot be reused. */
    static Inspection inspect(TestEngine jupiter) {
        String version = jupiter.getVersion().orElse("unknown");
        if (LINES.stream().noneMatch(version::startsWith) && !bundled(jupiter)) {
            return new Inspection(null, String.format("JUnit Jupiter %s is not of the lines reuse was checked against "
                    + "(5.13 to 6.1)", version));
        }
        try {
            Class<?> classBased = Class.forName(CLASS_BASED, false, jupiter.getClass().getClassLoader());
            Field field = classBased.getDeclaredField("lifecycleMethods");
            if (!field.getType().getName().equals(LIFECYCLE_METHODS)) {
                return new Inspection(null, String.format("%s.lifecycleMethods is a %s, not a %s", CLASS_BASED,
                        field.getType().getName(), LIFECYCLE_METHODS));
            }
            field.setAccessible(true);
            return new Inspection(new JupiterInternals(classBased, field), null);
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Inspection(null, String.format("JUnit Jupiter %s has no accessible %s.lifecycleMethods (%s)",
                    version, CLASS_BASED, e));
        }
    }

    /**
     * Whether {@code jupiter} comes from the jar this class comes from: the daemon's own JUnit (in-process
     * isolation), shaded into its jar, whose manifest gives the daemon's version rather than Jupiter's; the JUnit the
     * worker was built and tested with.
     */
    private static boolean bundled(TestEngine jupiter) {
        CodeSource engine = jupiter.getClass().getProtectionDomain().getCodeSource();
        CodeSource own = JupiterInternals.class.getProtectionDomain().getCodeSource();
        return engine != null && own != null && engine.getLocation() != null
                && engine.getLocation().toString().equals(String.valueOf(own.getLocation()));
    }

    /** Whether {@code descriptor} may lie on a reused path. */
    boolean reusable(TestDescriptor descriptor) {
        return PATH_KINDS.contains(descriptor.getClass().getName());
    }

    /** Whether {@code descriptor} holds lifecycle methods that an execution clears. */
    boolean holdsLifecycleMethods(TestDescriptor descriptor) {
        return classBased.isInstance(descriptor);
    }

    /** {@code descriptor}'s lifecycle methods, as discovery found them. */
    Object lifecycleMethods(TestDescriptor descriptor) {
        try {
            return lifecycleMethods.get(descriptor);
        }
        catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts back what {@code cleanUp} cleared. */
    void restore(TestDescriptor descriptor, Object methods) {
        try {
            lifecycleMethods.set(descriptor, methods);
        }
        catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The internals, or (then null) why there are none to use. */
    record Inspection(JupiterInternals internals, String unsupported) {

        Optional<JupiterInternals> usable() {
            return Optional.ofNullable(internals);
        }
    }
}

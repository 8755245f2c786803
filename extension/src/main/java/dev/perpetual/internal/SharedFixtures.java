package dev.perpetual.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.perpetual.Shared;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The {@link Shared} factories of test classes, and their products, which live in the launcher session's store
 * (closed with it when {@link AutoCloseable}).
 */
final class SharedFixtures {

    private static final Namespace NAMESPACE = Namespace.create(SharedFixtures.class);

    private final Map<Class<?>, List<Method>> factoriesByClass = new ConcurrentHashMap<>();

    /**
     * The factory whose product can be passed as {@code type}: of {@code testClass} and its superclasses, else, for a
     * {@code @Nested} class, of the classes it is nested in, nearest first.
     */
    Optional<Method> factoryFor(Class<?> testClass, Class<?> type) {
        Optional<Method> own = ownFactoryFor(testClass, type);
        boolean nested = testClass.isMemberClass() && !Modifier.isStatic(testClass.getModifiers());
        return own.isPresent() || !nested ? own : factoryFor(testClass.getEnclosingClass(), type);
    }

    private Optional<Method> ownFactoryFor(Class<?> testClass, Class<?> type) {
        List<Method> matching = factories(testClass).stream()
                .filter(factory -> type.isAssignableFrom(factory.getReturnType())).toList();
        if (matching.size() > 1) {
            throw new ExtensionConfigurationException(String.format("%s has %d @Shared factories for %s: %s. Keep "
                    + "one, or make their return types distinct.", testClass.getSimpleName(), matching.size(),
                    type.getSimpleName(), matching.stream().map(Method::getName).toList()));
        }
        return matching.stream().findFirst();
    }

    /** The product of {@code factory} for this session, made now if it is the first use. */
    Object product(ExtensionContext context, Method factory) {
        String key = factory.getDeclaringClass().getName() + "#" + factory.getName();
        return StoreValues.computeIfAbsent(context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE), key, () -> {
            Object product = context.getExecutableInvoker().invoke(factory);
            if (product == null) {
                throw new ExtensionConfigurationException(String.format("@Shared factory %s.%s returned null: "
                        + "return the fixture to share.", factory.getDeclaringClass().getSimpleName(),
                        factory.getName()));
            }
            return product;
        }, Object.class);
    }

    private List<Method> factories(Class<?> testClass) {
        return factoriesByClass.computeIfAbsent(testClass, type -> {
            List<Method> factories = AnnotationSupport.findAnnotatedMethods(type, Shared.class,
                    HierarchyTraversalMode.TOP_DOWN);
            for (Method factory : factories) {
                if (!Modifier.isStatic(factory.getModifiers()) || factory.getReturnType() == void.class) {
                    throw new ExtensionConfigurationException(String.format("@Shared method %s.%s must be a static "
                            + "factory that returns the fixture, such as: @Shared static ShopClient shop() {...}",
                            type.getSimpleName(), factory.getName()));
                }
            }
            return List.copyOf(factories);
        });
    }
}

package dev.perpetual.testing;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.perpetual.TestKit;

/**
 * This test JVM's class path with some jars swapped for others (real older releases), in a class loader of its
 * own: a fixture runs there through the Jupiter engine as it would in a project whose dependency management picked
 * those releases.
 */
public final class SwappedClassPath {

    private final List<URL> urls = new ArrayList<>();

    /** The class path without the entries {@code drop} matches, with {@code add} in their place. */
    public SwappedClassPath(Predicate<String> drop, List<Path> add) throws Exception {
        for (Path jar : add) {
            urls.add(jar.toUri().toURL());
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty() && !drop.test(entry)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
    }

    /** The message of the one failed test when {@code fixture}, loaded from this class path, runs. */
    public String failureOf(Class<?> fixture) throws Exception {
        return run(FailureOf.class, fixture.getName());
    }

    /**
     * What a new {@code function}, loaded from this class path, answers for {@code argument}: only JDK types cross
     * between the two class paths.
     */
    @SuppressWarnings("unchecked")
    public <T> T run(Class<? extends Function<String, T>> function, String argument) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(loader); // where the launcher finds the Jupiter engine
            Class<?> inside = Class.forName(function.getName(), true, loader);
            return ((Function<String, T>) inside.getDeclaredConstructor().newInstance()).apply(argument);
        }
        finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Runs, inside the swapped class path, a fixture class and answers its one failure's message. */
    public static final class FailureOf implements Function<String, String> {

        @Override
        public String apply(String fixture) {
            try {
                return TestKit.failure(TestKit.execute(Class.forName(fixture, false, getClass().getClassLoader())))
                        .getMessage();
            }
            catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

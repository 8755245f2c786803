package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apiguardian.api.API;

/**
 * The user's test classes and their dependencies ({@code -cp}), in a class loader whose parent is the daemon's, so
 * that JUnit, the extension and the daemon are shared with the tests and exist once.
 */
@API(status = INTERNAL, since = "0.1")
public final class UserClasses implements AutoCloseable {

    private final List<Path> entries;
    private final ClassLoader loader;

    private UserClasses(List<Path> entries, ClassLoader loader) {
        this.entries = entries;
        this.loader = loader;
    }

    /**
     * The class path made of {@code values} (each may hold several entries joined by the path separator); a missing
     * entry adds a problem.
     */
    public static UserClasses of(List<String> values, List<String> problems) {
        List<Path> entries = new ArrayList<>();
        for (String value : values) {
            for (String entry : value.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                if (entry.strip().endsWith("*")) {
                    entries.addAll(jarsIn(entry.strip(), problems));
                    continue;
                }
                Path path = Path.of(entry.strip()).toAbsolutePath().normalize();
                if (Files.exists(path)) {
                    entries.add(path);
                }
                else {
                    problems.add(String.format("Class path entry [%s] does not exist: give -cp the directories and "
                            + "jars that hold your test classes and their dependencies.", entry.strip()));
                }
            }
        }
        ClassLoader parent = UserClasses.class.getClassLoader();
        if (entries.isEmpty()) {
            return new UserClasses(List.of(), parent);
        }
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            }
            catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new UserClasses(List.copyOf(entries), new URLClassLoader("perpetual-tests", urls, parent));
    }

    /** {@code dir/*}: every jar in {@code dir}, in name order, as {@code java -cp} reads it. */
    private static List<Path> jarsIn(String wildcard, List<String> problems) {
        String folder = wildcard.substring(0, wildcard.length() - 1);
        Path directory = Path.of(folder.isEmpty() ? "." : folder).toAbsolutePath().normalize();
        if (!(folder.isEmpty() || folder.endsWith("/") || folder.endsWith(File.separator))
                || !Files.isDirectory(directory)) {
            problems.add(String.format("Class path entry [%s] is not a folder followed by '*': write dir/* for every "
                    + "jar in a folder that exists.", wildcard));
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().toLowerCase(Locale.ROOT)
                    .endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                problems.add(String.format("Class path entry [%s] matches no jar in [%s].", wildcard, directory));
            }
            return jars;
        }
        catch (IOException e) {
            problems.add(String.format("Class path entry [%s] cannot be listed: %s", wildcard, e.getMessage()));
            return List.of();
        }
    }

    /** The {@code -cp} entries, absolute. */
    List<Path> entries() {
        return entries;
    }

    /**
     * The worker's share of the class path: the {@code -cp} entries or, with no {@code -cp}, this JVM's own class
     * path (tests put beside the daemon, as in {@code java -cp perpetual-daemon.jar:tests ...}; they then see the
     * daemon's libraries too).
     */
    public List<Path> workerEntries() {
        if (!entries.isEmpty()) {
            return entries;
        }
        List<Path> own = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                own.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        return own;
    }

    public ClassLoader loader() {
        return loader;
    }

    /**
     * What {@code --scan-class-path} scans when it names no roots: the {@code -cp} entries, else the directories on
     * the daemon's own class path.
     */
    public Set<Path> scanRoots() {
        if (!entries.isEmpty()) {
            return new LinkedHashSet<>(entries);
        }
        Set<Path> roots = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!entry.isBlank() && Files.isDirectory(path)) {
                roots.add(path.toAbsolutePath().normalize());
            }
        }
        return roots;
    }

    @Override
    public void close() throws IOException {
        if (loader instanceof URLClassLoader urls) {
            urls.close();
        }
    }
}

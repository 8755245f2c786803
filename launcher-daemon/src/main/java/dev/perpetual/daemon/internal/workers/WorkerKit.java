package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apiguardian.api.API;

/**
 * The jars a worker JVM may need beside the user's class path, carried in the daemon's jar under {@value #FOLDER}:
 * the worker's own jar, JUnit Platform launchers (one per supported JUnit line), and the extension with JUnit and
 * its dependencies for a class path that holds only test classes. {@link #classPath} adds only what the user's class
 * path lacks, so a worker runs the user's JUnit, the user's Micrometer, the user's everything.
 */
@API(status = INTERNAL, since = "0.1")
public final class WorkerKit implements AutoCloseable {

    static final String FOLDER = "META-INF/perpetual/kit/";
    /** The kit's subfolder of the Redis client and its dependencies, for {@code perpetual.webhooks.store=redis}. */
    static final String REDIS = "redis/";
    private static final String WORKER = "perpetual-worker";
    private static final String LAUNCHER = "junit-platform-launcher";
    private static final String ENGINE = "junit-platform-engine";
    /** {@code artifactId-version.jar}, as Maven names a dependency it copies. */
    private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^-]*(?:-[A-Za-z]+[^-]*)?)(?:-[a-z]+)?\\.jar");

    private final Path folder;
    private final Map<String, Path> jars;

    private WorkerKit(Path folder, Map<String, Path> jars) {
        this.folder = folder;
        this.jars = jars;
    }

    /** Extracts the kit from the daemon's jar (or finds it among the build's classes) into a new folder. */
    public static WorkerKit extract() {
        try {
            Path folder = Files.createTempDirectory("perpetual-");
            Path source = Path.of(WorkerKit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Map<String, Path> jars = new LinkedHashMap<>();
            if (Files.isDirectory(source)) {
                Path kit = source.resolve(FOLDER);
                if (Files.isDirectory(kit)) {
                    try (Stream<Path> files = Files.walk(kit)) {
                        for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                            jars.put(kit.relativize(jar).toString().replace(File.separatorChar, '/'), jar);
                        }
                    }
                }
            }
            else {
                try (ZipFile zip = new ZipFile(source.toFile())) {
                    for (ZipEntry entry : zip.stream().sorted(Comparator.comparing(ZipEntry::getName)).toList()) {
                        String name = entry.getName();
                        if (name.startsWith(FOLDER) && name.endsWith(".jar")) {
                            String relative = name.substring(FOLDER.length());
                            Path target = folder.resolve(relative);
                            Files.createDirectories(target.getParent());
                            try (InputStream in = zip.getInputStream(entry)) {
                                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                            }
                            jars.put(relative, target);
                        }
                    }
                }
            }
            return new WorkerKit(folder, jars);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the worker's jars: " + e.getMessage(), e);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A folder the daemon may use for the life of the kit (worker sockets), deleted with it. */
    public Path folder() {
        return folder;
    }

    /**
     * The worker's class path: the user's {@code entries}, then the kit's jars of the artifacts they lack. A problem
     * is added when the user's JUnit Platform has no launcher in the kit and the user's class path none either.
     */
    List<Path> classPath(List<Path> entries, List<String> problems) {
        return classPath(entries, false, problems);
    }

    /** As {@link #classPath(List, List)}, with the Redis client ({@value #REDIS}) when {@code redis} says so. */
    public List<Path> classPath(List<Path> entries, boolean redis, List<String> problems) {
        Map<String, String> userArtifacts = new LinkedHashMap<>();
        for (Path entry : entries) {
            artifact(entry.getFileName().toString()).ifPresent(a -> userArtifacts.put(a[0], a[1]));
            for (Path listed : manifestClassPath(entry)) {
                artifact(listed.getFileName().toString()).ifPresent(a -> userArtifacts.put(a[0], a[1]));
            }
        }
        List<Path> classPath = new ArrayList<>(entries);
        Set<String> launchers = new TreeSet<>();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            if (jar.getKey().startsWith(REDIS) && !redis) {
                continue;
            }
            Optional<String[]> artifact = artifact(jar.getValue().getFileName().toString());
            if (artifact.isEmpty()) {
                continue;
            }
            String id = artifact.get()[0];
            String version = artifact.get()[1];
            if (id.equals(WORKER)) {
                classPath.add(jar.getValue());
            }
            else if (id.equals(LAUNCHER)) {
                launchers.add(version);
            }
            else if (!userArtifacts.containsKey(id)) {
                classPath.add(jar.getValue());
            }
        }
        if (!userArtifacts.containsKey(LAUNCHER)) {
            String platform = userArtifacts.getOrDefault(ENGINE, kitVersion(ENGINE));
            Optional<String> launcher = launchers.stream().filter(v -> line(v).equals(line(platform))).reduce(
                    (a, b) -> b);
            if (launcher.isPresent()) {
                classPath.add(jars.get(LAUNCHER + "-" + launcher.get() + ".jar"));
            }
            else {
                problems.add(String.format("Your class path holds JUnit Platform %s (%s-%s.jar), and this daemon "
                        + "carries launchers for JUnit Platform %s only: add "
                        + "org.junit.platform:junit-platform-launcher:%s to -cp.", platform, ENGINE, platform,
                        String.join(", ", launchers.stream().map(WorkerKit::line).toList()), platform));
            }
        }
        return classPath;
    }

    /** The jars a jar's manifest {@code Class-Path} names (a manifest-only jar, as Surefire writes), if any. */
    private static List<Path> manifestClassPath(Path entry) {
        if (!Files.isRegularFile(entry) || entry.getFileName() == null) {
            return List.of();
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            List<Path> listed = new ArrayList<>();
            for (String url : value.strip().split("\\s+")) {
                String name = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                listed.add(Path.of(name.substring(name.lastIndexOf('/') + 1)));
            }
            return listed;
        }
        catch (IOException e) {
            return List.of(); // not a jar the JVM could read either; the worker will say so
        }
    }

    public static String join(List<Path> classPath) {
        return String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
    }

    private String kitVersion(String artifactId) {
        for (String name : jars.keySet()) {
            Optional<String[]> artifact = artifact(name);
            if (artifact.isPresent() && artifact.get()[0].equals(artifactId)) {
                return artifact.get()[1];
            }
        }
        return "unknown";
    }

    /** {@code [artifactId, version]} of a jar's file name, when it has Maven's shape. */
    static Optional<String[]> artifact(String fileName) {
        Matcher jar = JAR.matcher(fileName);
        return jar.matches() ? Optional.of(new String[] { jar.group(1), jar.group(2) }) : Optional.empty();
    }

    /** A version's line: {@code 6.0} of {@code 6.0.3}. */
    private static String line(String version) {
        String[] parts = version.split("\\.");
        return parts.length < 2 ? version : parts[0] + "." + parts[1];
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
        catch (IOException e) {
            // a temporary folder; nothing more to do
        }
    }
}

package dev.perpetual.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Maven build of one of the small projects in {@code src/it}, in a copy of its own under {@code target/it}:
 * the Maven of the outer build (or another, such as Debian's 3.8), the local repository {@code invoker:install}
 * seeded with this build's artifacts, and the settings of {@code src/it/settings.xml}. Its output goes to
 * {@code build.log} in the copy.
 */
final class MavenBuild {

    /** Debian's Maven 3.8 ({@code apt-get install maven}), the oldest this plugin supports. */
    static final Path MAVEN_38 = Path.of("/usr/share/maven");

    private static final AtomicInteger COPIES = new AtomicInteger();

    final Path project;
    final Path log;
    private final Path mavenHome;

    private MavenBuild(Path project, Path mavenHome) {
        this.project = project;
        this.log = project.resolve("build.log");
        this.mavenHome = mavenHome;
    }

    /** A fresh copy of {@code src/it/<name>}, built with the outer build's Maven. */
    static MavenBuild of(String name) throws IOException {
        return of(name, Path.of(property("it.maven.home")));
    }

    /**
     * A fresh copy of {@code src/it/<name>} over one of {@code src/it/<sources>}: the sources several projects share
     * (a Spring Boot app on each Boot line), built with the outer build's Maven.
     */
    static MavenBuild of(String name, String sources) throws IOException {
        MavenBuild build = of(name);
        copyTree(Path.of(property("it.projects"), sources), build.project);
        return build;
    }

    static MavenBuild of(String name, Path mavenHome) throws IOException {
        if (!Files.isExecutable(mavenHome.resolve("bin/mvn"))) {
            throw new IllegalStateException("No Maven at " + mavenHome + (mavenHome.equals(MAVEN_38)
                    ? ": apt-get install maven (.ci/run does) brings Debian's Maven 3.8." : "."));
        }
        Path source = Path.of(property("it.projects"), name);
        Path copy = folder(name);
        copyTree(source, copy);
        Path pom = copy.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("@perpetual.version@", property("it.perpetual.version")));
        return new MavenBuild(copy, mavenHome);
    }

    /** A new project {@code name} of {@code files} (paths relative to the project, and their text). */
    static MavenBuild of(String name, Map<String, String> files) throws IOException {
        Path project = folder(name);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = project.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return new MavenBuild(project, Path.of(property("it.maven.home")));
    }

    private static Path folder(String name) throws IOException {
        Path folder = Path.of(property("it.work"), name + "-" + COPIES.incrementAndGet());
        delete(folder);
        return folder;
    }

    /** Runs {@code mvn args} to its end, at most {@code timeout}; says its exit code. */
    int run(Duration timeout, String... args) throws IOException, InterruptedException {
        Process maven = start(args);
        try {
            if (!maven.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("mvn " + String.join(" ", args) + " did not end within " + timeout
                        + "; its output:\n" + log());
            }
            return maven.exitValue();
        }
        finally {
            kill(maven);
        }
    }

    /**
     * Starts {@code mvn args} as a terminal would, in a process group of its own ({@code setsid}), so that a test can
     * send the group SIGINT as Ctrl-C does. The Maven JVM is the group's leader: the {@code mvn} script execs it.
     */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", mavenHome.resolve("bin/mvn").toString(), "-B",
                "-s", settings().toString(), "-Dmaven.repo.local=" + property("it.repo")));
        if ("offline=true".equals(System.getProperty("it.offline"))) {
            // The outer local repository is a file: repository here, which Maven's offline mode would refuse.
            command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Kills {@code process} and every process it started, if still alive. */
    static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            handle.onExit().completeOnTimeout(handle, 10, TimeUnit.SECONDS).join();
        }
    }

    private static synchronized Path settings() throws IOException {
        Path settings = Path.of(property("it.work"), "settings.xml");
        if (!Files.exists(settings)) {
            String template = Files.readString(Path.of(property("it.projects"), "settings.xml"));
            Files.createDirectories(settings.getParent());
            Files.writeString(settings, template.replace("@outerRepositoryUrl@",
                    Path.of(property("it.outer.repo")).toUri().toString()));
        }
        return settings;
    }

    private static void delete(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("System property " + name + " is unset: run the integration tests "
                    + "through Maven (failsafe), which sets it.");
        }
        return value;
    }
}

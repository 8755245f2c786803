package dev.perpetual.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * The deployable bundle of the project's tests: a folder the daemon runs with
 * {@code -cp 'perpetual-probes/*:perpetual-probes/lib/*'}. It holds the test classes as
 * {@code <artifactId>-<version>-tests.jar} and, in {@code lib/}, the project's classes as
 * {@code <artifactId>-<version>.jar} and every dependency of the test class path, named as in a Maven repository
 * (so that the daemon recognises JUnit's and the extension's jars). Bound to {@code package}; the folder is made anew
 * each time.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public class BundleMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** The bundle's folder. */
    @Parameter(defaultValue = "${project.build.directory}/perpetual-probes", required = true)
    File bundleDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path testClasses = Path.of(project.getBuild().getTestOutputDirectory());
        if (!Files.isDirectory(testClasses)) {
            throw new MojoFailureException(String.format("No test classes in %s: perpetual:bundle packs the "
                    + "compiled tests. Run it in the package phase (mvn package, where it is bound) or after "
                    + "test-compile (mvn test-compile perpetual:bundle).", testClasses));
        }
        Path bundle = bundleDirectory.toPath();
        Path lib = bundle.resolve("lib");
        String name = project.getArtifactId() + "-" + project.getVersion();
        int jars = 0;
        try {
            delete(bundle);
            Files.createDirectories(lib);
            Path tests = bundle.resolve(name + "-tests.jar");
            Jars.pack(testClasses, tests);
            Path classes = Path.of(project.getBuild().getOutputDirectory());
            if (Jars.hasFiles(classes)) {
                Jars.pack(classes, lib.resolve(name + ".jar"));
                jars++;
            }
            Set<String> names = new HashSet<>();
            for (Artifact artifact : project.getArtifacts()) {
                File file = artifact.getFile();
                if (file == null || !(file.isDirectory() || file.getName().endsWith(".jar"))) {
                    continue;
                }
                String jar = artifact.getArtifactId() + "-" + artifact.getBaseVersion()
                        + (artifact.hasClassifier() ? "-" + artifact.getClassifier() : "") + ".jar";
                if (!names.add(jar)) {
                    jar = artifact.getGroupId() + "." + jar;
                    names.add(jar);
                }
                if (file.isDirectory()) {
                    Jars.pack(file.toPath(), lib.resolve(jar));
                }
                else {
                    Files.copy(file.toPath(), lib.resolve(jar), StandardCopyOption.COPY_ATTRIBUTES);
                }
                jars++;
            }
            String root = relative(project.getBasedir(), bundle);
            String separator = File.pathSeparator;
            getLog().info(String.format("Perpetual bundle in %s: %s, and %d jars in lib/. Run it with%n  java -jar "
                    + "perpetual-daemon.jar -cp '%s/*%s%s/lib/*' --scan-class-path %s", root, tests.getFileName(),
                    jars, root, separator, root, relative(project.getBasedir(), tests)));
        }
        catch (IOException e) {
            throw new MojoExecutionException("Could not make the Perpetual bundle in " + bundle + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code path} relative to {@code base}, as the log shows it. */
    private static String relative(File base, Path path) {
        try {
            return base.toPath().relativize(path).toString();
        }
        catch (IllegalArgumentException e) {
            return path.toString();
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

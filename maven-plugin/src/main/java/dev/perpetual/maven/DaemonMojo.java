package dev.perpetual.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;

/**
 * What {@code perpetual:run} and {@code perpetual:once} share: the daemon jar of this plugin's version, run as a child
 * JVM on the project's test class path, with the selection and every {@code -Dperpetual.*} key of the command line.
 */
abstract class DaemonMojo extends AbstractMojo {

    /** The user property that selects tests: {@value}. */
    static final String SELECT = "perpetual.select";

    /** The user property that sets the daemon's admin port: {@value}. */
    static final String PORT = "perpetual.port";

    /** The plugin's own user properties, which are not passed to the daemon. */
    static final Set<String> OWN_PROPERTIES = Set.of(SELECT, PORT);

    /** The daemon's exit code for bad usage, bad configuration, or no tests selected. */
    static final int EXIT_USAGE = 2;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    /**
     * The tests to run, separated by commas: {@code package:com.acme.probes}, {@code class:com.acme.CheckoutE2E},
     * {@code method:com.acme.CheckoutE2E#orderConfirmed}, {@code tag:checkout} (a tag expression that filters), or a
     * bare name ({@code com.acme.probes}, {@code CheckoutE2E}, {@code CheckoutE2E#orderConfirmed}): with {@code #} a
     * method, with a capital after the last dot a class (a simple name is looked up in the test classes), else a
     * package. Default: every test in the project's test classes.
     */
    @Parameter(property = SELECT)
    String select;

    /**
     * The daemon's admin port (status page, metrics, API, health); 0 picks a free one, printed at start. Default:
     * 9400 for {@code run}, 0 for {@code once}.
     */
    @Parameter(property = PORT)
    Integer port;

    private final RepositorySystem repositories;

    DaemonMojo(RepositorySystem repositories) {
        this.repositories = repositories;
    }

    /** The admin port without {@code -Dperpetual.port}. */
    abstract int defaultPort();

    /** Runs the daemon with the project's tests and {@code options}; says its exit code. */
    int runDaemon(List<String> options) throws MojoExecutionException, MojoFailureException {
        List<String> arguments = arguments(options);
        Path jar = DaemonJar.resolve(repositories, session.getRepositorySession(),
                project.getRemotePluginRepositories(), plugin.getVersion());
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        command.addAll(arguments);
        getLog().debug("Perpetual daemon: " + String.join(" ", command));
        DaemonProcess daemon;
        try {
            daemon = DaemonProcess.start(command, project.getBasedir(), getLog());
        }
        catch (IOException e) {
            throw new MojoExecutionException("Perpetual could not start its daemon (" + String.join(" ",
                    command.subList(0, 3)) + "): " + e.getMessage(), e);
        }
        int exitCode;
        try {
            exitCode = daemon.await();
        }
        catch (InterruptedException e) {
            daemon.stop();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("Interrupted: the Perpetual daemon was stopped.", e);
        }
        if (exitCode == EXIT_USAGE) {
            throw new MojoFailureException(String.format("The Perpetual daemon ran no test (exit code 2: bad usage, "
                    + "bad configuration, or no tests selected):%n%s", daemon.errors()));
        }
        return exitCode;
    }

    /**
     * The daemon's arguments: the project's test class path ({@code -cp} per entry), the selection, the admin port,
     * {@code --config} for every {@code -Dperpetual.*} key but the plugin's own, then {@code options}.
     */
    private List<String> arguments(List<String> options) throws MojoExecutionException, MojoFailureException {
        Path testClasses = Path.of(project.getBuild().getTestOutputDirectory());
        if (!Files.isDirectory(testClasses)) {
            throw new MojoFailureException(String.format("No test classes in %s: Perpetual runs the project's "
                    + "compiled tests. Put your @Perpetual tests in src/test/java.", testClasses));
        }
        List<String> arguments = new ArrayList<>();
        classPath().forEach(entry -> {
            arguments.add("-cp");
            arguments.add(entry);
        });
        arguments.addAll(Selection.options(select, testClasses));
        arguments.add("--port");
        arguments.add(Integer.toString(port == null ? defaultPort() : port));
        config(session.getUserProperties()).forEach((key, value) -> {
            arguments.add("--config");
            arguments.add(key + "=" + value);
        });
        arguments.addAll(options);
        return arguments;
    }

    /**
     * The project's test class path: its test classes, its classes, and every dependency in test scope; without the
     * folders that do not exist (a project with no main code has no {@code target/classes}), which the daemon would
     * reject.
     */
    private List<String> classPath() throws MojoExecutionException {
        try {
            return project.getTestClasspathElements().stream().filter(entry -> new File(entry).exists()).toList();
        }
        catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("The project's test class path is not resolved: " + e.getMessage(), e);
        }
    }

    /** Every {@code perpetual.*} user property ({@code -D} on the command line) but the plugin's own, sorted. */
    static Map<String, String> config(Properties userProperties) {
        Map<String, String> config = new TreeMap<>();
        for (String key : userProperties.stringPropertyNames()) {
            if (key.startsWith("perpetual.") && !OWN_PROPERTIES.contains(key)) {
                config.put(key, userProperties.getProperty(key));
            }
        }
        return config;
    }

    /** The {@code java} of the JVM that runs Maven. */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

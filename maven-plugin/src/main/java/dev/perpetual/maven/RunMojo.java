package dev.perpetual.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import javax.inject.Inject;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.eclipse.aether.RepositorySystem;

/**
 * Runs the project's {@code @Perpetual} tests forever, each every period, through the Perpetual daemon of this
 * plugin's version, on the project's own test classes and test class path (compiled first: {@code mvn perpetual:run}
 * runs the lifecycle up to {@code test-compile}). The daemon serves {@code /status}, {@code /metrics} and
 * {@code /api/tests} on {@code -Dperpetual.port}; Ctrl-C stops it gracefully: the runs going finish, then it exits.
 * Every {@code -Dperpetual.*} key but {@code perpetual.select} and {@code perpetual.port} is passed to it as
 * {@code --config}. Runs are kept in {@code target/perpetual/history.db} unless {@code -Dperpetual.history.url}
 * says otherwise.
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
@Execute(phase = LifecyclePhase.TEST_COMPILE)
public class RunMojo extends DaemonMojo {

    static final String HISTORY_URL = "perpetual.history.url";

    @Inject
    public RunMojo(RepositorySystem repositories) {
        super(repositories);
    }

    /**
     * The run history of {@code mvn perpetual:run}: kept in {@code target/perpetual/history.db} (SQLite) unless
     * {@code -Dperpetual.history.url} says otherwise, so that a restarted run shows the earlier ones.
     */
    static List<String> history(Properties userProperties, Path buildDirectory) {
        if (userProperties.getProperty(HISTORY_URL) != null) {
            return List.of();
        }
        return List.of("--config", HISTORY_URL + "=jdbc:sqlite:" + buildDirectory.resolve("perpetual")
                .resolve("history.db"));
    }

    @Override
    int defaultPort() {
        return 9400;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        int exitCode = runDaemon(history(session.getUserProperties(), Path.of(project.getBuild().getDirectory())));
        if (exitCode != 0) {
            throw new MojoExecutionException("The Perpetual daemon ended with exit code " + exitCode
                    + "; its output is above.");
        }
    }
}

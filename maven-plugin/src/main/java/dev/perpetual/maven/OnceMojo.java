package dev.perpetual.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.eclipse.aether.RepositorySystem;

/**
 * The release gate: runs each selected {@code @Perpetual} test once (with its retries) through the Perpetual daemon
 * ({@code --once}) on the project's test class path, fails the build naming the tests that failed, erred or timed
 * out, and leaves JUnit XML reports in {@code target/perpetual-reports/} for the CI server. The tests are compiled
 * first ({@code test-compile}).
 */
@Mojo(name = "once", requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
@Execute(phase = LifecyclePhase.TEST_COMPILE)
public class OnceMojo extends DaemonMojo {

    /** Where the JUnit XML reports go, one {@code TEST-<class>.xml} per test class. */
    @Parameter(defaultValue = "${project.build.directory}/perpetual-reports", required = true)
    File reportsDirectory;

    @Inject
    public OnceMojo(RepositorySystem repositories) {
        super(repositories);
    }

    /** Any free port: a gate in CI must not depend on 9400 being free. */
    @Override
    int defaultPort() {
        return 0;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path reports = reportsDirectory.toPath();
        try {
            JUnitReports.clear(reports);
        }
        catch (IOException e) {
            throw new MojoExecutionException("Could not remove the previous reports in " + reports + ": "
                    + e.getMessage(), e);
        }
        int exitCode = runDaemon(List.of("--once", "--reports-dir", reports.toString()));
        if (exitCode != 0 && exitCode != 1) {
            throw new MojoExecutionException("The Perpetual daemon ended with exit code " + exitCode
                    + "; its output is above.");
        }
        JUnitReports.Summary summary;
        try {
            summary = JUnitReports.read(reports);
        }
        catch (IOException e) {
            throw new MojoFailureException("Perpetual --once " + (exitCode == 0 ? "passed" : "did not pass")
                    + ", and its reports cannot be read: " + e.getMessage(), e);
        }
        SurefireCheck.warnings(project.getPlugin(SurefireCheck.SUREFIRE), summary.classes())
                .forEach(getLog()::warn);
        if (exitCode == 0) {
            return;
        }
        if (summary.failed().isEmpty()) {
            throw new MojoFailureException("Perpetual --once did not pass: it was stopped before every test had run "
                    + "and passed (see the summary above).");
        }
        StringBuilder message = new StringBuilder(String.format("Perpetual --once: %d of %d tests failed (JUnit XML "
                + "reports in %s):", summary.failed().size(), summary.tests(), reports));
        summary.failed().forEach(failed -> message.append(String.format("%n  %s  %s", failed.test(),
                failed.message())));
        throw new MojoFailureException(message.toString());
    }
}

package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Spring Boot matrix: a Boot 3.5 project on JUnit 5.13 and a Boot 4 project on Boot's JUnit 6, each with Boot's
 * parent, the README's Perpetual lines (perpetual-bom imported), the same web app ({@code src/it/spring-boot-app})
 * and a {@code @SpringBootTest} probe. {@code mvn test}
 * runs the probe once through Surefire, then {@code perpetual:once} runs it in the daemon's worker on the project's
 * own class path, and both pass. The worker's JUnit Platform is the project's: the BOM forces no JUnit on a project.
 */
class SpringBootProjectIT {

    @ParameterizedTest(name = "{0}: JUnit Platform {1}")
    @CsvSource({"spring-boot35, 1.13.4", "spring-boot4, 6.0.3"})
    void aSpringBootTestProbePassesUnderMvnTestAndTheGateOnTheProjectsOwnJUnit(String project, String junitPlatform)
            throws Exception {
        MavenBuild build = MavenBuild.of(project, "spring-boot-app");

        int exitCode = build.run(Duration.ofMinutes(5), "-Dperpetual.webhooks.port=0", "test", "perpetual:once");

        assertThat(exitCode).as(build.log()).isZero();
        assertThat(build.log()).contains("[INFO] Running com.acme.GreetingProbeTest")
                .contains("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains("[INFO] Worker 1 (pid ").contains(" up: JUnit Platform " + junitPlatform + ", heap ")
                .contains("[INFO] Perpetual --once: 1 tests, all passed (1 pass)")
                .contains("[INFO] BUILD SUCCESS");
    }
}

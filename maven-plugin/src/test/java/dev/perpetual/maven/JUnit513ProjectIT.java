package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A plain JUnit 5.13 project with the README's Perpetual lines: its test passes under {@code mvn test} and under
 * {@code perpetual:once}, and the daemon's worker runs it on the project's own JUnit Platform, 1.13.4, not on the
 * JUnit 6 Perpetual is built with.
 */
class JUnit513ProjectIT {

    @Test
    void aJUnit513ProjectPassesUnderMvnTestAndTheGateOnItsOwnJUnit() throws Exception {
        MavenBuild build = MavenBuild.of("junit513-passing");

        int exitCode = build.run(Duration.ofMinutes(4), "-Dperpetual.webhooks.port=0", "test", "perpetual:once");

        assertThat(exitCode).as(build.log()).isZero();
        assertThat(build.log()).contains("[INFO] Running com.acme.GreetingE2E")
                .contains("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains(" up: JUnit Platform 1.13.4, heap ")
                .contains("[INFO] Perpetual --once: 1 tests, all passed (1 pass)")
                .contains("[INFO] BUILD SUCCESS");
    }
}

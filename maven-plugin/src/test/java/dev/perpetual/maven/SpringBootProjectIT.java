package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A Spring Boot 4 project (Boot's parent and Logback) with a {@code @SpringBootTest} probe: {@code perpetual:once} runs
 * it in the daemon's worker on the project's own class path, and it passes. The project imports perpetual-bom, whose
 * JUnit (6.1) wins over Boot's (6.0): Maven applies a project's own imports before its parent's.
 */
class SpringBootProjectIT {

    @Test
    void aSpringBootTestProbePassesTheGateOnTheProjectsClassPathWithTheBomsJUnit() throws Exception {
        MavenBuild build = MavenBuild.of("spring-boot4");

        int exitCode = build.run(Duration.ofMinutes(5), "-Dperpetual.webhooks.port=0", "perpetual:once");

        assertThat(exitCode).as(build.log()).isZero();
        assertThat(build.log()).contains("[INFO] Worker 1 (pid ").contains(" up: JUnit Platform 6.1.3, heap ")
                .contains("[INFO] Perpetual --once: 1 tests, all passed (1 pass)")
                .contains("[INFO] BUILD SUCCESS");
    }
}

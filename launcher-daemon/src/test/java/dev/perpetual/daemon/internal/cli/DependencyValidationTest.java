package dev.perpetual.daemon.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.perpetual.Perpetual;
import dev.perpetual.daemon.PerpetualDaemon;
import org.junit.jupiter.api.Test;

class DependencyValidationTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void anUnknownDependencyAndEachCycleAreProblemsAtStartNamingTheTestsAndTheFix() {
        int exitCode = run("--select-class", CyclicTestCase.class.getName(),
                "--config", "perpetual.test.CyclicTestCase.d.depends-on=CyclicTestCase.d");

        assertThat(exitCode).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Perpetual found 4 problems; nothing was run:",
                "  - @Perpetual test [CyclicTestCase.c] depends on [TrackingApi.isUp], which is no selected "
                        + "@Perpetual test: dependsOn and perpetual.test.CyclicTestCase.c.depends-on take the names "
                        + "--list shows; fix the name or select that test too.",
                "  - @Perpetual tests depend on each other in a cycle [CyclicTestCase.a -> CyclicTestCase.b -> "
                        + "CyclicTestCase.c -> CyclicTestCase.a]: a test cannot wait for itself. Remove one of these "
                        + "dependencies (dependsOn or perpetual.test.<name>.depends-on).",
                "  - @Perpetual tests depend on each other in a cycle [CyclicTestCase.b -> CyclicTestCase.e -> "
                        + "CyclicTestCase.b]: a test cannot wait for itself. Remove one of these dependencies "
                        + "(dependsOn or perpetual.test.<name>.depends-on).",
                "  - @Perpetual tests depend on each other in a cycle [CyclicTestCase.d -> CyclicTestCase.d]: a test "
                        + "cannot wait for itself. Remove one of these dependencies (dependsOn or "
                        + "perpetual.test.<name>.depends-on).");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void dependenciesOnSelectedTestsWithoutACycleStartAndKeysNamingNoTestAreWarnedAbout() {
        assertThat(run("--list", "--select-class", AcyclicTestCase.class.getName(),
                "--config", "perpetual.test.AcyclicTestCase.chekout.depends-on=AcyclicTestCase.api"))
                .isEqualTo(PerpetualDaemon.EXIT_OK);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly("Warning: Configuration parameter "
                + "'perpetual.test.AcyclicTestCase.chekout.depends-on' names no selected @Perpetual test "
                + "[AcyclicTestCase.chekout]: check the name against --list.");
    }

    private int run(String... args) {
        return DaemonCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static class CyclicTestCase {
        @Perpetual(period = "1m", dependsOn = "CyclicTestCase.b")
        void a() {
        }

        @Perpetual(period = "1m", dependsOn = { "CyclicTestCase.c", "CyclicTestCase.e" })
        void b() {
        }

        @Perpetual(period = "1m", dependsOn = { "CyclicTestCase.a", "TrackingApi.isUp" })
        void c() {
        }

        @Perpetual(period = "1m")
        void d() {
        }

        @Perpetual(period = "1m", dependsOn = "CyclicTestCase.b")
        void e() {
        }
    }

    static class AcyclicTestCase {
        @Perpetual(period = "1m")
        void api() {
        }

        @Perpetual(period = "1m", dependsOn = "AcyclicTestCase.api")
        void login() {
        }

        @Perpetual(period = "1m", dependsOn = { "AcyclicTestCase.api", "AcyclicTestCase.login" })
        void checkout() {
        }
    }
}

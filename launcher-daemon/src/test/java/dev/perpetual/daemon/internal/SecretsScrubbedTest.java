package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.JUnitXmlReports;
import dev.perpetual.daemon.internal.records.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe that logs, names a step after and fails with the secrets of its configuration ({@code --config}, listed in
 * {@code perpetual.secrets.keys}, {@code --config-resource}): none of them reaches any output of the daemon; each
 * shows as {@code ****}. (What a run prints, and {@code -D}, through the jar: {@code SecretsIT}.)
 */
class SecretsScrubbedTest {

    /** {@code --config shop.token}: secret by its name. */
    static final String TOKEN = "tok-5f2a9c1e";
    /** {@code --config shop.user-id}, listed in {@code perpetual.secrets.keys}. */
    static final String LISTED = "user-7781";
    /** From {@code secrets-test.properties} ({@code --config-resource}): {@code shop.api-key}. */
    static final String FROM_RESOURCE = "key-from-a-resource-file";
    /** {@code --config shop.pin-token=abc}: too short to be scrubbed. */
    static final String SHORT = "abc";

    static final List<String> OPTIONS = List.of("--config", "shop.token=" + TOKEN, "--config",
            "shop.user-id=" + LISTED, "--config", "perpetual.secrets.keys=shop.user-id", "--config",
            "shop.pin-token=" + SHORT, "--config-resource", "dev/perpetual/daemon/internal/secrets-test.properties");

    static final String MESSAGE = "the shop refused token ****, user **** and key **** (pin abc)";

    @Test
    void theRecordTheConsoleTheApiThePagesAndTheReportsShowTheSecretsAsStars(@TempDir Path reports)
            throws Exception {
        try (TestDaemon daemon = TestDaemon.of(OPTIONS, LeakingTestCase.class)) {
            daemon.daemon.runOnce();

            RunRecord run = daemon.runs("LeakingTestCase.leaks").get(0);
            assertThat(run.message()).isEqualTo(MESSAGE);
            assertThat(run.logLines()).containsExactly("signing in with ****");
            assertThat(run.steps()).singleElement().satisfies(step -> assertThat(step.name())
                    .isEqualTo("sign in as ****"));
            assertThat(run.stack()).startsWith("java.lang.AssertionError: " + MESSAGE);

            String console = daemon.console();
            assertThat(console).contains("FAIL  LeakingTestCase.leaks  ").contains("ms  " + MESSAGE)
                    .contains("  FAIL    LeakingTestCase.leaks  " + MESSAGE);
            String runs = daemon.get("/api/tests/LeakingTestCase.leaks/runs").body();
            String runJson = daemon.get("/api/tests/LeakingTestCase.leaks/runs/" + run.runId()).body();
            String tests = daemon.get("/api/tests").body();
            String status = daemon.get("/status").body();
            String page = daemon.get("/status/tests/LeakingTestCase.leaks/runs/" + run.runId()).body();
            assertThat(runJson).contains("signing in with ****", "sign in as ****");
            assertThat(page).contains("signing in with ****", "sign in as ****");
            assertThat(status).contains("the shop refused token ****");
            JUnitXmlReports.write(reports, daemon.daemon.results());
            String xml = Files.readString(reports.resolve("TEST-" + LeakingTestCase.class.getName() + ".xml"),
                    StandardCharsets.UTF_8);
            assertThat(xml).contains("the shop refused token ****");
            for (String output : List.of(console, runs, runJson, tests, status, page, xml, run.toString())) {
                assertThat(output).doesNotContain(TOKEN, LISTED, FROM_RESOURCE).contains("pin abc");
            }
        }
    }

    @Test
    void theJsonLogShowsTheSecretsAsStars() throws Exception {
        List<String> options = new java.util.ArrayList<>(OPTIONS);
        options.addAll(List.of("--log-format", "json"));
        try (TestDaemon daemon = TestDaemon.of(options, LeakingTestCase.class)) {
            daemon.daemon.runOnce();

            String console = daemon.console();
            assertThat(console).contains("\"message\":\"" + MESSAGE + "\"")
                    .doesNotContain(TOKEN, LISTED, FROM_RESOURCE);
        }
    }

    @Test
    void aSecretValueInAProblemAtStartIsShownAsStars() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int exitCode = dev.perpetual.daemon.internal.cli.DaemonCommand.execute(new String[] { "--select-class",
                LeakingTestCase.class.getName(), "--config", "perpetual.isolation=in-process", "--config",
                "perpetual.shop.token=" + TOKEN }, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(dev.perpetual.daemon.PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Perpetual found 1 problem; nothing was run:",
                "  - Unknown configuration parameter 'perpetual.shop.token' [****]: Perpetual has no such key. "
                        + "Keys of your tests' own belong under 'perpetual.env.'.");
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).doesNotContain(TOKEN);
    }

    static class LeakingTestCase {

        @Perpetual(period = "1h")
        void leaks(O o) throws Exception {
            String token = o.requireConfig("shop.token");
            o.log("signing in with %s", token);
            o.step("sign in as " + o.requireConfig("shop.user-id"), () -> { });
            throw new AssertionError(String.format("the shop refused token %s, user %s and key %s (pin %s)", token,
                    o.requireConfig("shop.user-id"), o.requireConfig("shop.api-key"),
                    o.requireConfig("shop.pin-token")));
        }
    }
}

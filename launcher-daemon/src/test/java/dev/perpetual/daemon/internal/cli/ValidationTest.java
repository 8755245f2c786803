package dev.perpetual.daemon.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.perpetual.Perpetual;
import dev.perpetual.daemon.PerpetualDaemon;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void everyProblemIsReportedTogetherNamingTheTestTheValueAndTheFixAndTheExitCodeIs2() {
        int exitCode = run("--select-class", BadDurationsTestCase.class.getName(),
                "--select-class", DuplicateNameTestCase.class.getName(),
                "--config", "perpetual.timeout.defualt=5s",
                "--config", "perpetual.daemon.max-concurrent-runs=0",
                "--config", "perpetual.test.DuplicateNameTestCase.second.timeout=0s");

        assertThat(exitCode).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly(
                "Warning: Configuration parameter 'perpetual.test.DuplicateNameTestCase.second.timeout' names no "
                        + "selected @Perpetual test [DuplicateNameTestCase.second]: check the name against --list.",
                "Perpetual found 5 problems; nothing was run:",
                "  - @Perpetual test [BadDurationsTestCase.badPeriod] has an invalid 'period' [every minute]: "
                        + "expected a duration such as 500ms, 30s, 5m, 1h, 1h30m or PT30S (units ns, us, ms, s, m, h, "
                        + "d; a bare number means seconds).",
                "  - @Perpetual test [BadDurationsTestCase.zeroTimeout] has a non-positive 'timeout' [0s]: use a "
                        + "duration greater than zero, such as 30s.",
                "  - @Perpetual tests [" + DuplicateNameTestCase.class.getName() + "#first] and ["
                        + DuplicateNameTestCase.class.getName() + "#second] share the name [checkout]: a name must be "
                        + "unique, as the test label and in configuration keys. Give one a different "
                        + "@Perpetual(name = \"...\").",
                "  - Unknown configuration parameter 'perpetual.timeout.defualt' [5s]: Perpetual has no such key. "
                        + "Did you mean 'perpetual.timeout.default'? Keys of your tests' own belong under "
                        + "'perpetual.env.'.",
                "  - Configuration parameter 'perpetual.daemon.max-concurrent-runs' has an invalid value [0]: use a "
                        + "whole number, 1 or more (default 64).");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void everyModulesSettingsAreCheckedAtStartInOnePassWithTheKeyTheValueAndTheFix() {
        int exitCode = run("--select-class", ListedTestCase.class.getName(),
                "--config", "perpetual.log.max-lines=-1",
                "--config", "perpetual.log.max-bytes=abc",
                "--config", "perpetual.webhooks.max-body=-1",
                "--config", "perpetual.report.stdout=flase",
                "--config", "perpetual.webhooks.channels.orders.key=xml:/id");

        assertThat(exitCode).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 5 problems; nothing was run:",
                "  - Configuration parameter 'perpetual.log.max-lines' has an invalid value [-1]: use a whole number "
                        + "of lines, 0 or more (default 1000).",
                "  - Configuration parameter 'perpetual.log.max-bytes' has an invalid value [abc]: use a size in bytes "
                        + "such as 65536, or a number with KiB, MiB or GiB such as 512KiB or 1MiB, 0 or more (default "
                        + "256 KiB).",
                "  - Configuration parameter 'perpetual.report.stdout' has an invalid value [flase]: use true or "
                        + "false.",
                "  - Invalid configuration parameter perpetual.webhooks.max-body = [-1]: expected a size in bytes "
                        + "such as 65536, or a number with KiB, MiB or GiB such as 512KiB or 1MiB",
                "  - Invalid configuration parameter perpetual.webhooks.channels.orders.key = [xml:/id]: expected "
                        + "json:<JSON pointer> such as json:/id, header:<name> such as header:X-Correlation-Id, or "
                        + "regex:<pattern with one group> such as regex:\"ref\":\"([^\"]+)\"");
    }

    @Test
    void theWorkersDescriptorReuseSwitchIsABooleanCheckedAtStart() {
        assertThat(run("--select-class", ListedTestCase.class.getName(),
                "--config", "perpetual.worker.reuse-discovery=no")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 1 problem; nothing was run:",
                "  - Configuration parameter 'perpetual.worker.reuse-discovery' has an invalid value [no]: use true "
                        + "or false.");
    }

    @Test
    void aKeyGivenTwiceWithConfigIsAProblemAsInJUnit() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config", "perpetual.location=eu",
                "--config", "perpetual.location=us", "--config", "perpetual.location")).isEqualTo(
                        PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 2 problems; nothing was run:",
                "  - Configuration parameter 'perpetual.location' is given twice with --config, [eu] and [us]: give "
                        + "each key once.",
                "  - --config [perpetual.location] is not KEY=VALUE: give the key, '=' and its value, such as "
                        + "--config perpetual.location=eu-west-1.");
    }

    @Test
    void aPeriodBelowThePeriodMinimumIsAProblemAtStart() {
        assertThat(run("--select-class", TooFastTestCase.class.getName())).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 2 problems; nothing was run:",
                "  - @Perpetual test [TooFastTestCase.spinsWhileFailing] has a 'periodWhileFailing' [50ms] below "
                        + "perpetual.period.min [100ms]: use a period of 100ms or more, or lower perpetual.period.min.",
                "  - @Perpetual test [TooFastTestCase.spins] has a 'period' [1ns] below perpetual.period.min "
                        + "[100ms]: use a period of 100ms or more, or lower perpetual.period.min.");

        err.reset();
        assertThat(run("--list", "--select-class", TooFastTestCase.class.getName(), "--config",
                "perpetual.period.min=1ns")).isEqualTo(PerpetualDaemon.EXIT_OK);
    }

    @Test
    void aBadPortIsAOneLineUsageError() {
        assertThat(run("--port", "http", "--select-class", ListedTestCase.class.getName()))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Invalid value for option '--port': [http] is not a port: give a "
                + "number from 0 to 65535 (0 picks a free port) (see --help)");

        err.reset();
        assertThat(run("--port", "70000", "--select-class", ListedTestCase.class.getName()))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Invalid value for option '--port': [70000] is not a port: give a "
                + "number from 0 to 65535 (0 picks a free port) (see --help)");
    }

    @Test
    void aBusyPortIsAOneLineUsageError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThat(run("--port", Integer.toString(port), "--select-class", ListedTestCase.class.getName(),
                    "--config", "perpetual.isolation=in-process", "--config", "perpetual.webhooks.port=0"))
                    .isEqualTo(PerpetualDaemon.EXIT_USAGE);
            assertThat(stderrLines()).containsExactly(String.format("--port %d: the admin port [%d] cannot be served "
                    + "(Address already in use): give a free port with --port, or --port 0 to pick one.", port, port));
        }
    }

    @Test
    void noSelectorIsBadUsageWithAHintAboutTheSelectors() {
        assertThat(run("--port", "0")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("No selector was given. Select tests with --scan-class-path, "
                + "--select-package, --select-class, --select-method or --select-test, give their classes and dependencies with "
                + "-cp <dirs and jars>, and check that --include-tag and --exclude-tag do not filter them all out.");
    }

    @Test
    void aSelectionThatHoldsNoTestIsBadUsage() {
        assertThat(run("--select-class", ValidationTest.class.getName(), "--include-tag", "no-such-tag"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).last().asString().startsWith("The selection holds no test.");
    }

    @Test
    void aSelectorThatSelectsNothingAndAMissingClassPathEntryAreProblems() {
        assertThat(run("-cp", "does/not/exist", "--select-class", "com.acme.Missing"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(String.join("\n", stderrLines()))
                .contains("Class path entry [does/not/exist] does not exist: give -cp the directories and jars that "
                        + "hold your test classes and their dependencies.")
                .contains("class:com.acme.Missing");
    }

    @Test
    void testsWithoutPerpetualAreNotRunAndAloneAreBadUsage() {
        assertThat(run("--select-class", PlainTestCase.class.getName())).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("1 tests were selected, but none is @Perpetual: the daemon runs "
                + "only @Perpetual tests. See --list.");
    }

    @Test
    void listPrintsTheScheduleAndTheTestsThatAreNotPerpetual() {
        assertThat(run("--list", "--select-class", ListedTestCase.class.getName(),
                "--config", "perpetual.test.ListedTestCase.off.enabled=false")).isEqualTo(PerpetualDaemon.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "TEST                  PERIOD    TIMEOUT   OVERLAP  RETRIES  WHILE-FAILING  STATUS",
                "ListedTestCase.probe  30s       10s       allow    2        5s             scheduled",
                "ListedTestCase.off    1m        1m        skip     0        -              disabled "
                        + "(perpetual.test.ListedTestCase.off.enabled=false)",
                "ListedTestCase.muted  1m        1m        skip     0        -              disabled "
                        + "(@Disabled: vendor sandbox down until Monday)",
                "",
                "Not perpetual (selected, never run by the daemon):",
                "  " + ListedTestCase.class.getName() + "#plain");
    }

    @Test
    void aMethodIsSelectedByItsNameAloneWhenItsClassHasOneOfThatName() {
        assertThat(run("--list", "--select-method", ListedTestCase.class.getName() + "#probe"))
                .isEqualTo(PerpetualDaemon.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "TEST                  PERIOD    TIMEOUT   OVERLAP  RETRIES  WHILE-FAILING  STATUS",
                "ListedTestCase.probe  30s       10s       allow    2        5s             scheduled");
    }

    @Test
    void aMethodNameItsClassLacksOrHasTwiceIsOneProblemNamingTheCandidates() {
        String type = OverloadedTestCase.class.getName();
        assertThat(run("--select-method", type + "#nope", "--select-method", type + "#check",
                "--select-method", "com.acme.Missing#probe")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 3 problems; nothing was run:",
                "  - --select-method " + type + "#nope: OverloadedTestCase has no method nope; its @Perpetual "
                        + "methods are check.",
                "  - --select-method " + type + "#check is ambiguous: OverloadedTestCase has 2 methods of that name; "
                        + "give the parameters of one: " + type + "#check() or " + type + "#check(java.lang.String).",
                "  - --select-method com.acme.Missing#probe: no class com.acme.Missing on the class path (-cp): check "
                        + "the name, and that -cp holds its class and its dependencies.");
    }

    @Test
    void aTestIsSelectedByItsPerpetualNameAndANameNoTestHasIsAProblemListingTheNames() {
        assertThat(run("--list", "--select-class", ListedTestCase.class.getName(), "--select-test",
                "ListedTestCase.off")).isEqualTo(PerpetualDaemon.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "TEST                PERIOD    TIMEOUT   OVERLAP  RETRIES  WHILE-FAILING  STATUS",
                "ListedTestCase.off  1m        1m        skip     0        -              scheduled");

        err.reset();
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--select-test", "ListedTestCase.prob"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 1 problem; nothing was run:",
                "  - --select-test ListedTestCase.prob: no @Perpetual test is named so in the selection; its tests "
                        + "are named ListedTestCase.muted, ListedTestCase.off, ListedTestCase.probe (see --list).");
    }

    @Test
    void aPerpetualMethodThatIsAlsoARepeatedTestIsAProblemAtStart() {
        assertThat(run("--select-class", RepeatedTestCase.class.getName())).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 1 problem; nothing was run:",
                "  - @Perpetual test [RepeatedTestCase.check] is also a @RepeatedTest: @Perpetual is itself a @Test, "
                        + "which runs the method once with O and WebhookWaiter as its parameters. Remove @RepeatedTest, "
                        + "or keep that test apart from the perpetual one.");
    }

    @Test
    void aBadTenancyOrRequireOnWebhooksIsReportedAtStartNamingTheKeyTheValueAndTheFix() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config", "perpetual.tenancy=test traffic",
                "--config", "perpetual.tenancy.require-on-webhooks=yes")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).contains("  - perpetual.tenancy must be 1 to 64 characters of A-Z, a-z, 0-9, '_', "
                + "'.' and '-' (it is sent as baggage and becomes a metric label), not [test traffic]. Set it to a "
                + "name such as 'test' or 'synthetic'.", "  - Invalid configuration parameter "
                + "perpetual.tenancy.require-on-webhooks = [yes]: expected true or false (default false)");
    }

    @Test
    void aBadBrowserOriginIsReportedAtStartNamingTheKeyTheValueAndTheFix() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config",
                "perpetual.tenancy.browser-origins=https://shop.example.com,shop.example.com/cart"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).contains("  - Configuration parameter 'perpetual.tenancy.browser-origins' has an "
                + "invalid value [https://shop.example.com,shop.example.com/cart]: [shop.example.com/cart] is not an "
                + "origin. Use comma-separated origins scheme://host[:port] (http or https, no path), such as "
                + "https://shop.example.com,https://api.segment.io; leave the key unset for the origin of the first "
                + "page each run opens, or set it to 'none' to mark no browser request.");
    }

    @Test
    void aBadClusterModeIsReportedAtStartWithTheAcceptedValues() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config", "perpetual.cluster.mode=twice"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid configuration parameter "
                + "perpetual.cluster.mode = [twice]: expected each (every daemon runs every test) or once (each test "
                + "once per period across the daemons sharing perpetual.redis.uri)");

        err.reset();
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config", "perpetual.cluster.mode=once"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Configuration parameter perpetual.cluster.mode = "
                + "[once] needs perpetual.redis.uri, such as redis://redis.internal:6379");
    }

    @Test
    void aWorkerJvmThatCannotStartIsBadUsageSayingWhatTheJvmSaidAndWhatToCheck() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config",
                "perpetual.worker.jvm-args=-Xmxbanana")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual could not start its worker JVM: The worker JVM ended at "
                + "start: Invalid maximum heap size: -Xmxbanana Error: Could not create the Java Virtual Machine. "
                + "Error: A fatal exception has occurred. Program will exit.",
                "Check perpetual.worker.jvm-args [-Xmxbanana] and the class path (-cp); the worker runs 'java "
                        + "<jvm-args> -cp <your class path> dev.perpetual.worker.internal.WorkerMain'.");
    }

    @Test
    void aWorkerCountOutOfRangeOrBesideInProcessIsBadUsageNamingTheAcceptedValues() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config", "perpetual.workers=65"))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).contains("  - Invalid configuration parameter perpetual.workers = [65]: expected a "
                + "whole number from 1 to 64");

        err.reset();
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config", "perpetual.workers=2",
                "--config", "perpetual.isolation=in-process")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).contains("  - Invalid configuration parameter perpetual.workers = [2]: expected 1 "
                + "with perpetual.isolation = [in-process], which runs the tests in the daemon's own JVM; leave "
                + "perpetual.isolation out for worker JVMs");
    }

    @Test
    void keysTheDaemonReadsBeforeItStartsTheWorkerAreProblemsInAPropertiesFile() {
        assertThat(run("--select-class", ListedTestCase.class.getName(), "--config-resource",
                "misplaced-worker-keys.properties")).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 3 problems; nothing was run:",
                "  - Configuration parameter perpetual.webhooks.store = [redis] needs perpetual.redis.uri, such as "
                        + "redis://redis.internal:6379",
                "  - perpetual.worker.jvm-args = [-Xmx64m] is set where only the worker reads it (a properties file), "
                        + "but the daemon reads it before it starts the worker: give it with --config "
                        + "perpetual.worker.jvm-args=-Xmx64m.",
                "  - perpetual.webhooks.store = [redis] is set where only the worker reads it (a properties file): "
                        + "give it with --config perpetual.webhooks.store=redis too, so that the daemon adds the "
                        + "Redis client to the worker's class path.");
    }

    @Test
    void aBadGraceIsBadUsageNamingTheAcceptedForms() {
        assertThat(run("--grace", "soon", "--select-class", ListedTestCase.class.getName()))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[soon] is not a duration such as 500ms");
    }

    @Test
    void reportsWithoutOnceAreBadUsageSayingWhenTheyAreWritten() {
        assertThat(run("--reports-dir", "target/reports", "--select-class", ListedTestCase.class.getName()))
                .isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(stderrLines()).containsExactly("Perpetual found 1 problem; nothing was run:",
                "  - --reports-dir [target/reports] is given without --once: the reports are written when every test "
                        + "has run once. Add --once, or leave --reports-dir out.");
    }

    private int run(String... args) {
        return DaemonCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> stderrLines() {
        return new ArrayList<>(err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    static class BadDurationsTestCase {
        @Perpetual(period = "every minute")
        void badPeriod() {
        }

        @Perpetual(period = "1m", timeout = "0s")
        void zeroTimeout() {
        }
    }

    static class DuplicateNameTestCase {
        @Perpetual(period = "1m", name = "checkout")
        void first() {
        }

        @Perpetual(period = "1m", name = "checkout")
        void second() {
        }
    }

    static class RepeatedTestCase {
        @Perpetual(period = "1m")
        @org.junit.jupiter.api.RepeatedTest(3)
        void check() {
        }
    }

    static class OverloadedTestCase {
        @Perpetual(period = "1m")
        void check() {
        }

        void check(String region) {
        }
    }

    static class PlainTestCase {
        @org.junit.jupiter.api.Test
        void plain() {
        }
    }

    static class TooFastTestCase {
        @Perpetual(period = "1ns")
        void spins() {
        }

        @Perpetual(period = "1s", periodWhileFailing = "50ms")
        void spinsWhileFailing() {
        }
    }

    static class ListedTestCase {
        @Perpetual(period = "30s", timeout = "10s", overlap = dev.perpetual.Overlap.ALLOW, retries = 2,
                periodWhileFailing = "5s")
        void probe() {
        }

        @Perpetual(period = "1m")
        void off() {
        }

        @Perpetual(period = "1m")
        @org.junit.jupiter.api.Disabled("vendor sandbox down until Monday")
        void muted() {
        }

        @org.junit.jupiter.api.Test
        void plain() {
        }
    }
}

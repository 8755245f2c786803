package dev.perpetual.daemon.internal.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.PerpetualDaemon;
import dev.perpetual.daemon.internal.Catalog;
import dev.perpetual.daemon.internal.ConfigCheck;
import dev.perpetual.daemon.internal.Daemon;
import dev.perpetual.daemon.internal.records.Console;
import dev.perpetual.daemon.internal.records.JUnitXmlReports;
import dev.perpetual.daemon.internal.records.RunHistory;
import dev.perpetual.daemon.internal.workers.ForkedLink;
import dev.perpetual.daemon.internal.workers.InProcessLink;
import dev.perpetual.daemon.internal.workers.UserClasses;
import dev.perpetual.daemon.internal.workers.WorkerKit;
import dev.perpetual.daemon.internal.workers.WorkerSettings;
import dev.perpetual.daemon.internal.workers.Workers;
import dev.perpetual.spi.Durations;
import dev.perpetual.Constants;
import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.Secrets;
import dev.perpetual.worker.internal.WorkerMain;
import org.apiguardian.api.API;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: the Console Launcher's selection language, plus the daemon's own options. */
@API(status = INTERNAL, since = "0.1")
@Command(name = "perpetual-daemon", mixinStandardHelpOptions = true, versionProvider = DaemonCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = { "Runs the selected @Perpetual JUnit tests forever, each every period, in worker JVMs on "
                + "your class path, and serves every run as Prometheus metrics, JSON and a status page." },
        footerHeading = "%nExit codes:%n",
        footer = { "  0  stopped by SIGTERM or SIGINT; or --once saw every test pass",
                "  1  --once saw a test fail, error or time out, or was stopped before all had run and passed",
                "  2  bad usage, bad configuration, or no tests selected" })
public final class DaemonCommand implements Callable<Integer> {

    @Option(names = { "-cp", "--classpath", "--class-path" }, paramLabel = "PATH",
            description = "Directories and jars holding your test classes and their dependencies, joined by the "
                    + "path separator. This option can be repeated.")
    List<String> classPath = new ArrayList<>();

    @Option(names = { "--scan-class-path", "--scan-classpath" }, paramLabel = "PATH", arity = "0..1",
            fallbackValue = "", description = "Scan these class path roots (default: the -cp entries) for tests. "
                    + "This option can be repeated.")
    List<String> scanClassPath;

    @Option(names = { "-p", "--select-package" }, paramLabel = "PKG",
            description = "Select a package, with its subpackages. This option can be repeated.")
    List<String> packages = new ArrayList<>();

    @Option(names = { "-c", "--select-class" }, paramLabel = "CLASS",
            description = "Select a class by its fully qualified name. This option can be repeated.")
    List<String> classes = new ArrayList<>();

    @Option(names = { "-m", "--select-method" }, paramLabel = "NAME",
            description = "Select a method by its fully qualified name: com.acme.CheckoutE2E#orderConfirmed "
                    + "(parameters are needed only when the class has several methods of that name). This option "
                    + "can be repeated.")
    List<String> methods = new ArrayList<>();

    @Option(names = { "--select-test" }, paramLabel = "NAME",
            description = "Select a @Perpetual test by its name, as --list and /status show it: "
                    + "CheckoutE2E.orderConfirmed, or its @Perpetual(name). Alone, the class path is scanned for it. "
                    + "This option can be repeated.")
    List<String> tests = new ArrayList<>();

    @Option(names = { "-t", "--include-tag" }, paramLabel = "TAG",
            description = "Keep only tests whose tags match this tag expression. This option can be repeated.")
    List<String> includeTags = new ArrayList<>();

    @Option(names = { "-T", "--exclude-tag" }, paramLabel = "TAG",
            description = "Leave out tests whose tags match this tag expression. This option can be repeated.")
    List<String> excludeTags = new ArrayList<>();

    @Option(names = "--config", paramLabel = "KEY=VALUE", parameterConsumer = ConfigConsumer.class,
            description = "Set a configuration parameter, such as perpetual.location=eu-west-1. Each key may be "
                    + "given once. This option can be repeated.")
    Map<String, String> config = new LinkedHashMap<>();

    /** {@code --config} entries that repeat a key or lack {@code =}: reported with the other problems at start. */
    final List<String> configProblems = new ArrayList<>();

    @Option(names = "--config-resource", paramLabel = "PATH",
            description = "Read configuration parameters from this class path resource (a properties file). "
                    + "This option can be repeated.")
    List<String> configResources = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9400", converter = PortConverter.class,
            description = "The admin port, for metrics, health, API and status (webhooks have their own, "
                    + "perpetual.webhooks.port); 0 picks a free port, printed at start. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--once", description = "Run each selected test once, print a summary, and exit 0 only if "
            + "none failed: a CI or release gate. SIGTERM or SIGINT stops it gracefully (see --grace) and still "
            + "prints the summary, naming the tests that did not run.")
    boolean once;

    @Option(names = "--reports-dir", paramLabel = "DIR",
            description = "With --once, write JUnit XML reports into this directory, one TEST-<class>.xml per test "
                    + "class in the format of JUnit's legacy XML reporter and Surefire, which CI servers read.")
    Path reportsDir;

    @Option(names = "--list", description = "Print the schedule (each test's name, period, timeout, overlap) and "
            + "exit.")
    boolean list;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "On SIGTERM or SIGINT, how long runs going may take to finish before they are recorded "
                    + "as aborted. Default: ${DEFAULT-VALUE}.")
    Duration grace;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            converter = FormatConverter.class,
            description = "text (one line per run) or json (one JSON object per line). Default: ${DEFAULT-VALUE}.")
    Console.Format logFormat;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Parses {@code args}, runs the daemon, and says the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        DaemonCommand command = new DaemonCommand();
        command.out = out;
        command.err = err;
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            // One line, as the Console Launcher's: the usage is one --help away.
            e.getCommandLine().getErr().println(e.getMessage() + " (see --help)");
            return PerpetualDaemon.EXIT_USAGE;
        });
        return commandLine.execute(args);
    }

    Selection selection() {
        return new Selection(scanClassPath != null, scanClassPath == null ? List.of() : scanClassPath, packages,
                classes, methods, tests, includeTags, excludeTags, config, configResources);
    }

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Console console = new Console(logFormat, out, err, json);
        try {
            return call(console, json);
        }
        finally {
            console.flush();
        }
    }

    private int call(Console console, ObjectMapper json) throws Exception {
        List<String> problems = new ArrayList<>();
        Selection selection = selection();
        if (!selection.selectsSomething()) {
            console.warn(ConfigCheck.nothingSelectedHint("No selector was given."));
            return PerpetualDaemon.EXIT_USAGE;
        }
        problems.addAll(configProblems);
        reportsDir(problems);
        console.hide(Secrets.of(config)); // until the worker has read the whole configuration
        WorkerSettings settings = WorkerSettings.of(config, grace, problems);
        if (!problems.isEmpty()) {
            return problems(console, problems);
        }
        try (UserClasses classes = UserClasses.of(classPath, problems);
                WorkerKit kit = settings.inProcess() ? null : WorkerKit.extract()) {
            Workers.Starter starter;
            if (settings.inProcess()) {
                starter = worker -> InProcessLink.start(worker, classes.loader());
            }
            else {
                // A class path entry that is missing is reported with what discovery finds; a missing launcher stops.
                List<String> kitProblems = new ArrayList<>();
                List<String> command = workerCommand(settings, kit.classPath(classes.workerEntries(),
                        redisStore(config), kitProblems));
                if (!kitProblems.isEmpty()) {
                    problems.addAll(kitProblems);
                    return problems(console, problems);
                }
                starter = worker -> ForkedLink.start(command, kit.folder(), worker, console::worker);
            }
            Message.Init init = new Message.Init(selection.toMessage(classes.scanRoots()), true,
                    Daemon.WORKER_DEFAULTS, false);
            Workers workers = new Workers(settings, init, starter, console);
            boolean handedOver = false;
            try {
                Catalog catalog;
                try {
                    catalog = Catalog.of(workers.discover(), problems);
                    console.hide(catalog.secrets());
                }
                catch (IOException e) {
                    console.warn(String.format("Perpetual could not start its worker JVM: %s%nCheck %s [%s] and the "
                            + "class path (-cp); the worker runs 'java <jvm-args> -cp <your class path> %s'.",
                            e.getMessage(), Constants.WORKER_JVM_ARGS, String.join(" ", settings.jvmArgs()),
                            WorkerMain.class.getName()));
                    return PerpetualDaemon.EXIT_USAGE;
                }
                WorkerSettings.misplaced(catalog.config(), config, problems);
                RunHistory.maxBytes(catalog::get, problems);
                dev.perpetual.daemon.internal.store.StoreSettings.of(catalog::get, problems);
                if (!settings.inProcess() && redisStore(catalog.config()) && !redisStore(config)) {
                    problems.add(String.format("%s = [redis] is set where only the worker reads it (a properties "
                            + "file): give it with --config %s=redis too, so that the daemon adds the Redis client "
                            + "to the worker's class path.", Constants.WEBHOOKS_STORE, Constants.WEBHOOKS_STORE));
                }
                catalog.warnings().forEach(warning -> console.warn("Warning: " + warning));
                if (!problems.isEmpty()) {
                    return problems(console, problems);
                }
                if (catalog.scheduled().isEmpty() && catalog.disabled().isEmpty()
                        && catalog.notPerpetual().isEmpty()) {
                    console.warn(ConfigCheck.nothingSelectedHint("The selection holds no test."));
                    return PerpetualDaemon.EXIT_USAGE;
                }
                if (list) {
                    console.info(Schedule.render(catalog));
                    return catalog.scheduled().isEmpty() && catalog.disabled().isEmpty() ? PerpetualDaemon.EXIT_USAGE
                            : PerpetualDaemon.EXIT_OK;
                }
                if (catalog.scheduled().isEmpty()) {
                    console.warn(catalog.disabled().isEmpty()
                            ? String.format("%d tests were selected, but none is @Perpetual: the daemon runs only "
                                    + "@Perpetual tests. See --list.", catalog.notPerpetual().size())
                            : "Every selected @Perpetual test is disabled (@Disabled, or perpetual.test.<name>.enabled=false).");
                    return PerpetualDaemon.EXIT_USAGE;
                }
                String version = Version.text();
                String bindAddress = catalog.get(Constants.ADMIN_BIND_ADDRESS).map(String::strip)
                        .filter(a -> !a.isEmpty()).orElse(null);
                Daemon daemon;
                try {
                    daemon = Daemon.start(workers, catalog, console, bindAddress, port, json, version);
                }
                catch (IOException e) {
                    console.warn(AdminPort.problem(bindAddress, port, e));
                    return PerpetualDaemon.EXIT_USAGE;
                }
                handedOver = true;
                daemon.banner(version, once);
                Signals signals = Signals.install(grace.plusSeconds(10));
                if (once) {
                    signals.onRequest(Thread.currentThread()::interrupt);
                    try {
                        int exitCode = daemon.runOnce(grace);
                        return reportsDir == null ? exitCode : writeReports(daemon, console, exitCode);
                    }
                    finally {
                        signals.onRequest(() -> { });
                        daemon.close();
                        signals.shutdownDone();
                    }
                }
                daemon.schedule();
                signals.awaitRequest();
                daemon.shutdown(grace);
                signals.shutdownDone();
                return PerpetualDaemon.EXIT_OK;
            }
            finally {
                if (!handedOver) {
                    workers.close();
                }
            }
        }
    }

    /** {@code --reports-dir}: only with {@code --once}, and a directory this user may write (made if missing). */
    private void reportsDir(List<String> problems) {
        if (reportsDir == null) {
            return;
        }
        if (!once) {
            problems.add(String.format("--reports-dir [%s] is given without --once: the reports are written when "
                    + "every test has run once. Add --once, or leave --reports-dir out.", reportsDir));
            return;
        }
        try {
            Files.createDirectories(reportsDir);
            if (!Files.isWritable(reportsDir)) {
                throw new IOException("not writable");
            }
        }
        catch (IOException e) {
            problems.add(String.format("--reports-dir [%s] cannot be written (%s): give a directory this user may "
                    + "write.", reportsDir, e.getMessage()));
        }
    }

    /** The JUnit XML reports of {@code --once}; a report that cannot be written fails a run that passed. */
    private int writeReports(Daemon daemon, Console console, int exitCode) {
        try {
            List<Path> written = JUnitXmlReports.write(reportsDir, daemon.results());
            console.info(String.format("JUnit XML reports: %d files in %s", written.size(), reportsDir));
            return exitCode;
        }
        catch (IOException e) {
            console.warn(String.format("Perpetual could not write the JUnit XML reports to [%s]: %s", reportsDir,
                    e.getMessage()));
            return exitCode == PerpetualDaemon.EXIT_OK ? PerpetualDaemon.EXIT_USAGE : exitCode;
        }
    }

    /** Whether {@code config} routes webhooks through Redis ({@code perpetual.webhooks.store=redis}). */
    private static boolean redisStore(Map<String, String> config) {
        return "redis".equalsIgnoreCase(config.getOrDefault(Constants.WEBHOOKS_STORE, "").strip());
    }

    private static int problems(Console console, List<String> problems) {
        console.warn(String.format("Perpetual found %d problem%s; nothing was run:", problems.size(),
                problems.size() == 1 ? "" : "s"));
        problems.forEach(problem -> console.warn("  - " + problem));
        return PerpetualDaemon.EXIT_USAGE;
    }

    /** The worker JVM's command line: this JVM's java, the worker's options and class path, the entry point. */
    private static List<String> workerCommand(WorkerSettings settings, List<java.nio.file.Path> classPath) {
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.jvmArgs());
        // Nothing for the webhook port: the worker serves it with a server of its own (WebhookServer), and the JDK
        // server's properties would change the user's own servers in the worker (an embedded system under test).
        command.add("-cp");
        command.add(WorkerKit.join(classPath));
        command.add(WorkerMain.class.getName());
        return command;
    }

    /** {@code --grace} and other durations, in the grammar of {@code @Perpetual}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration duration = Durations.parse(value);
                if (duration.isNegative()) {
                    throw new CommandLine.TypeConversionException("[" + value + "] is negative: use 0 or more");
                }
                return duration;
            }
            catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --config KEY=VALUE}, one entry at a time: a key given twice is a problem, as in JUnit. */
    static final class ConfigConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(java.util.Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                CommandLine.Model.CommandSpec commandSpec) {
            if (args.isEmpty()) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(),
                        "Missing value for option '--config': give KEY=VALUE");
            }
            String entry = args.pop();
            DaemonCommand command = (DaemonCommand) commandSpec.userObject();
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                command.configProblems.add(String.format("--config [%s] is not KEY=VALUE: give the key, '=' and its "
                        + "value, such as --config perpetual.location=eu-west-1.", entry));
                return;
            }
            String key = entry.substring(0, equals).strip();
            String value = entry.substring(equals + 1);
            String earlier = command.config.putIfAbsent(key, value);
            if (earlier != null) {
                command.configProblems.add(String.format("Configuration parameter '%s' is given twice with --config, "
                        + "[%s] and [%s]: give each key once.", key, earlier, value));
            }
        }
    }

    /** {@code --port}: a number from 0 to 65535. */
    static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return AdminPort.parse(value);
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Console.Format> {
        @Override
        public Console.Format convert(String value) {
            try {
                return Console.Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("[" + value + "] is not a log format: use text or json");
            }
        }
    }

    /** The jar's version, from its manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "Perpetual daemon " + text(), "JUnit Platform "
                    + pkgVersion(org.junit.platform.launcher.Launcher.class), "Java " + Runtime.version() };
        }

        static String text() {
            return pkgVersion(PerpetualDaemon.class);
        }

        private static String pkgVersion(Class<?> type) {
            String version = type.getPackage().getImplementationVersion();
            return version == null ? "dev" : version;
        }
    }
}

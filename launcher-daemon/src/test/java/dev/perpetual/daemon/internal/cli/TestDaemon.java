package dev.perpetual.daemon.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.internal.Catalog;
import dev.perpetual.daemon.internal.Daemon;
import dev.perpetual.daemon.internal.records.Console;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.workers.InProcessLink;
import dev.perpetual.daemon.internal.workers.UserClasses;
import dev.perpetual.daemon.internal.workers.WorkerSettings;
import dev.perpetual.daemon.internal.workers.Workers;
import dev.perpetual.worker.internal.Message;
import picocli.CommandLine;

/**
 * A daemon started in this JVM on an ephemeral port, over fixture classes nested in the tests: the command line's
 * start-up without its signals and exit code, so here beside {@link DaemonCommand}, whose parsed options it reads.
 */
public final class TestDaemon implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final Daemon daemon;
    final Workers workers;
    private final ByteArrayOutputStream console;
    private final Console printer;

    private TestDaemon(Daemon daemon, Workers workers, ByteArrayOutputStream console, Console printer) {
        this.daemon = daemon;
        this.workers = workers;
        this.console = console;
        this.printer = printer;
    }

    /**
     * Discovers {@code fixtures} (plus {@code options}, such as {@code --config k=v}) in an in-process worker (the
     * fixtures are nested in the tests, on this JVM's class path) and starts serving.
     */
    public static TestDaemon of(List<String> options, Class<?>... fixtures) throws Exception {
        // Fixtures run fast, below the default perpetual.period.min.
        List<String> args = new ArrayList<>(List.of("--config", "perpetual.isolation=in-process", "--config",
                "perpetual.period.min=1ms"));
        args.addAll(options);
        Arrays.stream(fixtures).forEach(fixture -> Collections.addAll(args, "--select-class", fixture.getName()));
        DaemonCommand command = CommandLine.populateCommand(new DaemonCommand(), args.toArray(String[]::new));
        List<String> problems = new ArrayList<>();
        UserClasses classes = UserClasses.of(command.classPath, problems);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Console printer = new Console(command.logFormat, out, out, new ObjectMapper());
        WorkerSettings settings = WorkerSettings.of(command.config, command.grace, problems);
        Workers workers = new Workers(settings, new Message.Init(command.selection().toMessage(classes.scanRoots()),
                true, Map.of(dev.perpetual.Constants.WEBHOOKS_PORT, "0"), false),
                worker -> InProcessLink.start(worker, classes.loader()), printer);
        Catalog catalog = Catalog.of(workers.discover(), problems);
        assertThat(problems).as("discovery problems").isEmpty();
        Daemon daemon = Daemon.start(workers, catalog, printer, null, 0, new ObjectMapper(),
                System.getProperty("daemon.test.version", "test"));
        return new TestDaemon(daemon, workers, console, printer);
    }

    public static TestDaemon scheduling(List<String> options, Class<?>... fixtures) throws Exception {
        TestDaemon test = of(options, fixtures);
        test.daemon.schedule();
        return test;
    }

    public static TestDaemon scheduling(Class<?>... fixtures) throws Exception {
        return scheduling(List.of(), fixtures);
    }

    /** The test's records, oldest first. */
    public List<RunRecord> runs(String test) {
        List<RunRecord> records = new ArrayList<>(daemon.results().history(test).newestFirst());
        Collections.reverse(records);
        return records;
    }

    public List<RunRecord> awaitRuns(String test, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> runs(test).size() >= count);
        return runs(test);
    }

    /** Where the worker receives webhooks ({@code http://host:port}, under {@code /webhooks/}), once a test has needed them. */
    public URI webhooksUrl() {
        await().atMost(Duration.ofSeconds(20)).until(() -> workers.webhooks() != null);
        return URI.create(workers.webhooks());
    }

    public String console() {
        printer.flush();
        return console.toString(StandardCharsets.UTF_8);
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(daemon.localUrl() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST path} without a body; {@code headers}: name, value, … */
    public HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(daemon.localUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String scrape() throws Exception {
        return get("/metrics").body();
    }

    /** The value of the sample {@code series} (name and labels exactly as scraped), or NaN when absent. */
    public double sample(String series) throws Exception {
        return Stream.of(scrape().split("\n")).filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
                .findFirst().orElse(Double.NaN);
    }

    @Override
    public void close() {
        daemon.shutdown(Duration.ofSeconds(5));
    }
}

package dev.perpetual.samples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.perpetual.samples.pipeline.TrackingPipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The samples' main job: starts the tracking pipeline, then the Perpetual daemon (the real executable jar, as a
 * user runs it) on the sample probes, pointed at the pipeline. The daemon's lines are relayed as they come.
 * The browser probe runs when Chromium is installed; otherwise a one-line note says how to get it.
 */
@Command(name = "perpetual-samples", mixinStandardHelpOptions = true,
        description = "Starts the sample tracking pipeline and the Perpetual daemon on the sample probes.")
public final class MainJob implements AutoCloseable, Callable<Integer> {

    private static final Pattern DAEMON_PORT = Pattern.compile("on port (\\d+)");

    @Option(names = "--port", defaultValue = "9400", description = "The daemon's port; 0 picks a free one. "
            + "Default: ${DEFAULT-VALUE}.")
    int daemonPort;

    @Option(names = "--pipeline-port", defaultValue = "9401", description = "The pipeline's port; 0 picks a free "
            + "one. Default: ${DEFAULT-VALUE}.")
    int pipelinePort;

    @Option(names = "--daemon-jar", required = true, description = "The daemon's executable jar.")
    Path daemonJar;

    @Option(names = "--probes", required = true, description = "The probe bundle: a directory with the probes' "
            + "test jar and a lib/ folder of their dependencies.")
    Path probes;

    @Option(names = "--chromium", defaultValue = "/usr/bin/chromium",
            description = "The Chromium binary the browser probe needs. Default: ${DEFAULT-VALUE}.")
    Path chromium;

    @Option(names = "--chromedriver", defaultValue = "/usr/bin/chromedriver",
            description = "The chromedriver binary the browser probe needs. Default: ${DEFAULT-VALUE}.")
    Path chromedriver;

    @Option(names = "--config", description = "Passed on to the daemon, such as perpetual.test.X.period=5s. "
            + "This option can be repeated.")
    List<String> config = new ArrayList<>();

    private final PrintStream out;
    private TrackingPipeline pipeline;
    private Process daemon;
    private final CompletableFuture<URI> daemonUrl = new CompletableFuture<>();

    public MainJob(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        MainJob job = new MainJob(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(job::close, "perpetual-samples-shutdown"));
        System.exit(new CommandLine(job).execute(args));
    }

    /** Starts everything, prints where to look, and waits until the daemon ends. */
    @Override
    public Integer call() throws Exception {
        start();
        URI url = daemonUrl(Duration.ofMinutes(2));
        out.printf("%nThe sample pipeline runs at %s (fault switch: curl -X POST %s/admin/faults "
                + "-d '{\"dropPercent\":100}'; clear it with curl -X DELETE %s/admin/faults)%n"
                + "Look at %s/status, %s/metrics and %s/api/tests. Ctrl-C stops both.%n%n", pipeline.url(),
                pipeline.url(), pipeline.url(), url, url, url);
        return daemon.waitFor();
    }

    /** Starts the pipeline and the daemon; {@link #daemonUrl} says when the daemon listens. */
    public MainJob start() throws IOException {
        pipeline = TrackingPipeline.start(pipelinePort);
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", daemonJar.toString(),
                "-cp", probeClassPath(), "--scan-class-path", testJar().toString(),
                "--port", Integer.toString(daemonPort), "--grace", "5s",
                "--config", "samples.pipeline.url=" + pipeline.url()));
        if (Files.isExecutable(chromium) && Files.isExecutable(chromedriver)) {
            command.addAll(List.of("--config", "perpetual.selenium.chrome.binary=" + chromium,
                    "--config", "perpetual.selenium.driver.binary=" + chromedriver));
        }
        else {
            out.printf("Note: no %s, so the browser probe is left out (apt-get install -y chromium chromium-driver, "
                    + "or --chromium and --chromedriver <path>).%n",
                    Files.isExecutable(chromium) ? "chromedriver at " + chromedriver : "Chromium at " + chromium);
            command.addAll(List.of("--exclude-tag", "browser"));
        }
        for (String parameter : config) {
            command.addAll(List.of("--config", parameter));
        }
        daemon = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread relay = new Thread(this::relayDaemonOutput, "perpetual-samples-relay");
        relay.setDaemon(true);
        relay.start();
        return this;
    }

    /** The daemon's base URL, once its banner said which port it listens on. */
    public URI daemonUrl(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return daemonUrl.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    public URI pipelineUrl() {
        return pipeline.url();
    }

    private void relayDaemonOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.println(line);
                Matcher port = DAEMON_PORT.matcher(line);
                if (!daemonUrl.isDone() && port.find()) {
                    daemonUrl.complete(URI.create("http://127.0.0.1:" + port.group(1)));
                }
            }
        }
        catch (IOException e) {
            // the daemon ended
        }
        daemonUrl.completeExceptionally(new IllegalStateException("The daemon ended before it listened; its "
                + "output above says why."));
    }

    private Path testJar() throws IOException {
        try (Stream<Path> files = Files.list(probes)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-tests.jar")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No *-tests.jar in the probe bundle [" + probes
                            + "]: build it with ./mvnw -B package -DskipTests -pl samples -am"));
        }
    }

    private String probeClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(testJar().toString());
        try (Stream<Path> jars = Files.list(probes.resolve("lib"))) {
            jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(jar -> entries.add(jar.toString()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("No lib/ folder in the probe bundle [" + probes + "]", e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Stops the daemon (gracefully: SIGTERM, then its grace) and the pipeline. */
    @Override
    public synchronized void close() {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            try {
                if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException e) {
                daemon.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }
}

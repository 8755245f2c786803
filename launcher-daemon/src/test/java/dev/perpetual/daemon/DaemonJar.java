package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shaded jar, started on the fixture project (src/it-fixtures) on a free port, its output collected. */
final class DaemonJar implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("on port (\\d+)");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    final Thread reader;

    /** Counted down when the output is read again after {@link #stopReading()}, or at close. */
    private final CountDownLatch resume = new CountDownLatch(1);
    private volatile boolean stalled;

    private DaemonJar(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    if (stalled) {
                        resume.await(); // nobody reads: the pipe fills and the daemon's writes would block
                    }
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (IOException | UncheckedIOException e) {
                // the process ended
            }
        }, "daemon-jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java -jar perpetual-daemon.jar -cp <fixtures> --select-class <HealthCheckE2E> --port 0 --grace <grace>}. */
    static DaemonJar start(String grace) throws IOException {
        return start(grace, "--select-class", "dev.perpetual.daemon.fixtures.HealthCheckE2E");
    }

    /** {@code java -jar perpetual-daemon.jar -cp <fixtures> --port 0 --grace <grace> <options>}. */
    static DaemonJar start(String grace, String... options) throws IOException {
        return start(List.of(), grace, options);
    }

    /**
     * As {@link #start(String, String...)}, under a shell that first runs {@code setup}, such as
     * {@code ulimit -n 4096}.
     */
    static DaemonJar startUnder(String setup, String grace, String... options) throws IOException {
        return start(List.of(setup), grace, options);
    }

    /** Stops reading the daemon's output, as a console nobody reads, until {@link #resumeReading()}. */
    void stopReading() {
        stalled = true;
    }

    void resumeReading() {
        resume.countDown();
    }

    private static DaemonJar start(List<String> setup, String grace, String... options) throws IOException {
        Path jar = Path.of(System.getProperty("perpetual.daemon.jar", "target/perpetual-daemon.jar"));
        Path fixtures = Path.of(System.getProperty("perpetual.fixture.classes", "target/fixture-classes"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-jar", jar.toString(), "-cp", fixtures.toString(), "--port", "0", "--grace",
                grace, "--config", "perpetual.webhooks.port=0"));
        command.addAll(List.of(options));
        if (!setup.isEmpty()) {
            StringBuilder line = new StringBuilder(String.join(" && ", setup)).append(" && exec");
            command.forEach(word -> line.append(" '").append(word.replace("'", "'\\''")).append("'"));
            command = List.of("bash", "-c", line.toString());
        }
        return new DaemonJar(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The port the banner names, once printed. */
    int awaitPort() {
        return await().atMost(Duration.ofSeconds(60)).until(this::port, port -> port > 0);
    }

    private int port() {
        for (String line : output) {
            Matcher port = PORT.matcher(line);
            if (port.find()) {
                return Integer.parseInt(port.group(1));
            }
        }
        return 0;
    }

    /** Destroys the process (SIGTERM, then SIGKILL after 15 seconds) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        resume.countDown();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        // What the daemon printed, in the test's report: the first thing to read when a test fails.
        output.forEach(line -> System.out.println("[daemon] " + line));
    }
}

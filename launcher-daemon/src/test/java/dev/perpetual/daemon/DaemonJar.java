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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shaded jar, started on the fixture project (src/it-fixtures) on a free port, its output collected. */
final class DaemonJar implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("on port (\\d+)");

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    final Thread reader;

    private DaemonJar(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
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
        Path jar = Path.of(System.getProperty("perpetual.daemon.jar", "target/perpetual-daemon.jar"));
        Path fixtures = Path.of(System.getProperty("perpetual.fixture.classes", "target/fixture-classes"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-jar", jar.toString(), "-cp", fixtures.toString(), "--port", "0", "--grace",
                grace, "--config", "perpetual.webhooks.port=0"));
        command.addAll(List.of(options));
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

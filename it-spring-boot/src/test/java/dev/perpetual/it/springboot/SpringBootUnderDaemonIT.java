package dev.perpetual.it.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The probe bundle of this Spring Boot 4 project (its own JUnit, its own Logback) run by the real daemon jar, as a
 * user runs it in a pipeline: {@code java -jar perpetual-daemon.jar --once --port 0 -cp '<bundle>/*:<bundle>/lib/*'
 * --select-package dev.perpetual.it.springboot}. Every probe must pass and the daemon exit 0.
 *
 * <p>In {@code --once} mode the daemon prints one line per run and a summary, not the runs' {@code O.log} lines
 * (those are kept with the run, behind the HTTP API, which is gone once the daemon exits): the JUnit version the
 * probes log is not on the console, so this test asserts only what the console says.
 */
class SpringBootUnderDaemonIT {

    private static final long TIMEOUT_MINUTES = 3;
    private static final List<String> PROBES = List.of("GreetingProbe.greetingAnswersJson",
            "GreeterProbe.greeterSaysHello");

    @Test
    void every_probe_passes_under_the_daemon_jar() throws Exception {
        Path jar = Path.of(System.getProperty("daemon.jar"));
        Path bundle = Path.of(System.getProperty("probes.bundle"));
        assertThat(jar).as("the daemon jar: build it with ./mvnw -B -q install -DskipTests").isRegularFile();
        assertThat(bundle.resolve("lib")).isDirectory();
        try (var jars = Files.list(bundle)) {
            assertThat(jars.map(path -> path.getFileName().toString()))
                    .as("the probes' test jar").anyMatch(name -> name.endsWith("-tests.jar"));
        }

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "--once", "--port", "0",
                "--config", "perpetual.webhooks.port=0",
                "-cp", bundle + "/*" + File.pathSeparator + bundle + "/lib/*",
                "--select-package", "dev.perpetual.it.springboot");
        System.out.println("Running: " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> {
                    output.add(line);
                    System.out.println("[daemon] " + line);
                });
            }
            catch (IOException | UncheckedIOException e) {
                // the process ended
            }
        }, "daemon-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean exited = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            reader.join(TimeUnit.SECONDS.toMillis(10));
            String printed = String.join(System.lineSeparator(), output);
            assertThat(exited).as("the daemon exited within %d minutes; it printed:%n%s", TIMEOUT_MINUTES, printed)
                    .isTrue();
            assertThat(process.exitValue()).as("the daemon's exit code; it printed:%n%s", printed).isZero();
            assertThat(output).as("a PASS line per probe; the daemon printed:%n%s", printed)
                    .anySatisfy(line -> assertThat(line).startsWith("PASS  " + PROBES.get(0) + "  "))
                    .anySatisfy(line -> assertThat(line).startsWith("PASS  " + PROBES.get(1) + "  "));
            assertThat(output).as("the worker runs the project's own JUnit line (6.0, from Spring Boot's BOM), not "
                    + "the daemon's 6.1; the daemon printed:%n%s", printed)
                    .anyMatch(line -> line.matches("Worker 1 \\(pid \\d+\\) up: JUnit Platform 6\\.0\\.\\d+, heap \\d+ MiB"));
            assertThat(output).as("the --once summary; the daemon printed:%n%s", printed)
                    .contains(String.format("Perpetual --once: %d tests, all passed (%d pass)", PROBES.size(),
                            PROBES.size()));
        }
        finally {
            stop(process);
        }
    }

    /**
     * SIGTERM, then SIGKILL after 15 seconds, to the daemon and any process it started: no JVM outlives the test,
     * passed or failed.
     */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> started = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (ProcessHandle child : started) {
            child.destroyForcibly();
        }
    }
}

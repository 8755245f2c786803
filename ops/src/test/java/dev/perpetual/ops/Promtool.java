package dev.perpetual.ops;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Prometheus' {@code promtool}, found through the {@code PROMTOOL} environment variable or the {@code PATH}.
 * A missing promtool is a failure naming the package that provides it, never a silent skip: these checks are
 * the only thing that keeps the rules honest.
 */
final class Promtool {

    static final String MISSING = "promtool was not found on the PATH. It comes with Debian's `prometheus` package: "
            + "apt-get update && apt-get install -y prometheus (.ci/run installs it when absent). "
            + "Or set the PROMTOOL environment variable to a promtool binary.";

    record Result(List<String> command, int exitCode, String output) {

        String describe() {
            return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
        }
    }

    private Promtool() {
    }

    static Path locate() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError("PROMTOOL [" + configured + "] is not an executable file. " + MISSING);
            }
            return path;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, "promtool");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(MISSING);
    }

    /** Runs {@code promtool args…} in {@code directory}, stdout and stderr merged (tests bound the time). */
    static Result run(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(locate().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), UTF_8);
        }
        return new Result(command, process.waitFor(), output);
    }
}

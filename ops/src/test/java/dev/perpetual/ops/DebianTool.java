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
 * Finds and runs a command-line tool of a Debian package ({@code promtool}, {@code amtool}): from an environment
 * variable naming its binary, else from the {@code PATH}. A missing tool is a failure with {@code missing} as its
 * message, never a silent skip.
 */
final class DebianTool {

    private DebianTool() {
    }

    static Path locate(String binary, String variable, String missing) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError(variable + " [" + configured + "] is not an executable file. " + missing);
            }
            return path;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, binary);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(missing);
    }

    /** Runs {@code tool args…} in {@code directory}, stdout and stderr merged (tests bound the time). */
    static Promtool.Result run(Path tool, Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), UTF_8);
        }
        return new Promtool.Result(command, process.waitFor(), output);
    }
}

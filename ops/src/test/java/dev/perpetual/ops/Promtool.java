package dev.perpetual.ops;

import java.io.IOException;
import java.nio.file.Path;
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

    /** What a run of a tool ({@link DebianTool}) gave. */
    record Result(List<String> command, int exitCode, String output) {

        String describe() {
            return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
        }
    }

    private Promtool() {
    }

    static Path locate() {
        return DebianTool.locate("promtool", "PROMTOOL", MISSING);
    }

    /** Runs {@code promtool args…} in {@code directory}, stdout and stderr merged (tests bound the time). */
    static Result run(Path directory, String... args) throws IOException, InterruptedException {
        return DebianTool.run(locate(), directory, args);
    }
}

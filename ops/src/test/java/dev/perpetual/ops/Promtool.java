package dev.perpetual.ops;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

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

    /**
     * {@code promtool test rules} of {@code tests} on {@code rules}, both written into {@code directory} under the
     * file names of {@code rulesFile} and {@code testsFile} (the tests name the rules file they load).
     */
    static Result testRules(Path directory, Path rulesFile, String rules, Path testsFile, JsonNode tests)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(rulesFile.getFileName()), rules, UTF_8);
        Path testFile = directory.resolve(testsFile.getFileName());
        OpsFiles.YAML.writeValue(testFile.toFile(), tests);
        return run(directory, "test", "rules", testFile.toString());
    }
}

package dev.perpetual.ops;

import java.io.IOException;
import java.nio.file.Path;

/** Runs Alertmanager's {@code amtool}, found through the {@code AMTOOL} environment variable or the {@code PATH}. */
final class Amtool {

    static final String MISSING = "amtool was not found on the PATH. It comes with Debian's `prometheus-alertmanager` "
            + "package: apt-get update && apt-get install -y prometheus-alertmanager (.ci/run installs it when "
            + "absent). Or set the AMTOOL environment variable to an amtool binary.";

    private Amtool() {
    }

    static Promtool.Result run(Path directory, String... args) throws IOException, InterruptedException {
        return DebianTool.run(DebianTool.locate("amtool", "AMTOOL", MISSING), directory, args);
    }
}

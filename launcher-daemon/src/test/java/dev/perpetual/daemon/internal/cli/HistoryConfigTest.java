package dev.perpetual.daemon.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.perpetual.daemon.PerpetualDaemon;
import org.junit.jupiter.api.Test;

/** Bad run store settings stop the daemon at start, each named with its value and the fix. */
class HistoryConfigTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void badStoreSettingsAreProblemsNamingTheKeyTheValueAndTheFix() {
        int exitCode = DaemonCommand.execute(new String[] { "--select-class", ProbeTestCase.class.getName(),
                "--config", "perpetual.isolation=in-process", "--config", "perpetual.period.min=50ms",
                "--config", "perpetual.history.url=mysql://db/perpetual",
                "--config", "perpetual.history.max-runs=0",
                "--config", "perpetual.history.max-age=soon",
                "--config", "perpetual.history.rollup-age=10m" },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(PerpetualDaemon.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Perpetual found 4 problems; nothing was run:",
                "  - Configuration parameter 'perpetual.history.url' has an invalid value [mysql://db/perpetual]: use "
                        + "memory, jdbc:sqlite:<file> or jdbc:postgresql://<host>:<port>/<database> (default memory).",
                "  - Configuration parameter 'perpetual.history.max-runs' has an invalid value [0]: use a whole "
                        + "number, 1 or more (default 10000).",
                "  - Configuration parameter 'perpetual.history.max-age' has an invalid value [soon]: use a duration "
                        + "of 1h or more, such as 7d (default 30d).",
                "  - Configuration parameter 'perpetual.history.rollup-age' has an invalid value [10m]: use a "
                        + "duration of 1h or more, such as 7d (default 400d).");
    }
}

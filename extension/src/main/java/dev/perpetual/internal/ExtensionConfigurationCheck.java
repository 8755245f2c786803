package dev.perpetual.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import java.util.function.Consumer;

import dev.perpetual.Constants;
import dev.perpetual.spi.ConfigurationCheck;
import dev.perpetual.spi.OutcomeRules;
import org.apiguardian.api.API;

/**
 * The extension's keys, checked at start with the parsers its runs use: the log limits, {@code perpetual.report.stdout}
 * and the outcome rules; and the daemon worker's {@code perpetual.worker.reuse-discovery}, read with the same boolean
 * parser. (The webhook receiver's keys have their check beside the receiver.)
 */
@API(status = INTERNAL, since = "0.2")
public final class ExtensionConfigurationCheck implements ConfigurationCheck {

    @Override
    public void check(Map<String, String> config, Consumer<String> problems) {
        var reader = ConfigurationCheck.reader(config);
        LogLimits.check(reader, problems);
        ConfigurationCheck.parsing(problems, () -> Booleans.read(reader, Constants.REPORT_STDOUT, true));
        // Read by the daemon's worker (its launcher session), which has no check of its own on the user's class path.
        ConfigurationCheck.parsing(problems, () -> Booleans.read(reader, Constants.WORKER_REUSE_DISCOVERY, true));
        ConfigurationCheck.parsing(problems, () -> OutcomeRules.from(reader));
    }
}

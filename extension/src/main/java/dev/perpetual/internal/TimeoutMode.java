package dev.perpetual.internal;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** JUnit's {@code junit.jupiter.execution.timeout.mode}, honoured by Perpetual's timeout too. */
enum TimeoutMode {
    ENABLED, DISABLED, DISABLED_ON_DEBUG;

    static final String KEY = "junit.jupiter.execution.timeout.mode";

    private static final boolean DEBUGGER_ATTACHED = ManagementFactory.getRuntimeMXBean().getInputArguments()
            .stream().anyMatch(argument -> argument.startsWith("-agentlib:jdwp") || argument.startsWith("-Xrunjdwp"));

    static TimeoutMode from(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return ENABLED;
        }
        try {
            return valueOf(value.get().strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(String.format(
                    "Configuration parameter '%s' has an invalid value [%s]: use enabled, disabled or "
                            + "disabled_on_debug.", KEY, value.get()));
        }
    }

    boolean enforces() {
        return this == ENABLED || (this == DISABLED_ON_DEBUG && !DEBUGGER_ATTACHED);
    }
}

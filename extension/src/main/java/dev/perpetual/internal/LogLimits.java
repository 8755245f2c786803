package dev.perpetual.internal;

import static dev.perpetual.Constants.LOG_MAX_BYTES;
import static dev.perpetual.Constants.LOG_MAX_BYTES_DEFAULT;
import static dev.perpetual.Constants.LOG_MAX_LINES;
import static dev.perpetual.Constants.LOG_MAX_LINES_DEFAULT;
import static dev.perpetual.Constants.LOG_MAX_LINE_BYTES;
import static dev.perpetual.Constants.LOG_MAX_LINE_BYTES_DEFAULT;

import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * How much of its log one run keeps: {@code perpetual.log.max-lines}, {@code perpetual.log.max-line-bytes} and
 * {@code perpetual.log.max-bytes}, read and validated once.
 *
 * @param maxLines     the most lines a run keeps, 0 or more
 * @param maxLineBytes the most UTF-8 bytes of one line kept before its cut marker, 0 or more
 * @param maxBytes     the most UTF-8 bytes a run keeps, cut markers included, 0 or more
 */
record LogLimits(int maxLines, long maxLineBytes, long maxBytes) {

    /**
     * The limits {@code config} sets.
     *
     * @throws ExtensionConfigurationException naming the key, the value and what to use instead
     */
    static LogLimits read(Function<String, Optional<String>> config) {
        return new LogLimits(maxLines(config), size(config, LOG_MAX_LINE_BYTES, LOG_MAX_LINE_BYTES_DEFAULT),
                size(config, LOG_MAX_BYTES, LOG_MAX_BYTES_DEFAULT));
    }

    /** Checks each of the three keys on its own, so that every bad one is reported. */
    static void check(Function<String, Optional<String>> config, java.util.function.Consumer<String> problems) {
        dev.perpetual.spi.ConfigurationCheck.parsing(problems, () -> maxLines(config));
        dev.perpetual.spi.ConfigurationCheck.parsing(problems,
                () -> size(config, LOG_MAX_LINE_BYTES, LOG_MAX_LINE_BYTES_DEFAULT));
        dev.perpetual.spi.ConfigurationCheck.parsing(problems,
                () -> size(config, LOG_MAX_BYTES, LOG_MAX_BYTES_DEFAULT));
    }

    private static int maxLines(Function<String, Optional<String>> config) {
        return config.apply(LOG_MAX_LINES).map(value -> {
            try {
                int lines = Integer.parseInt(value.strip());
                if (lines >= 0) {
                    return lines;
                }
            }
            catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(LOG_MAX_LINES, value, "a whole number of lines, 0 or more (default "
                    + LOG_MAX_LINES_DEFAULT + ")");
        }).orElse(LOG_MAX_LINES_DEFAULT);
    }

    private static long size(Function<String, Optional<String>> config, String key, long defaultBytes) {
        return config.apply(key).map(value -> Sizes.parse(value).orElseThrow(() -> invalid(key, value,
                Sizes.FORMS + ", 0 or more (default " + Sizes.format(defaultBytes) + ")")))
                .orElse(defaultBytes);
    }

    private static ExtensionConfigurationException invalid(String key, String value, String use) {
        return new ExtensionConfigurationException(String.format("Configuration parameter '%s' has an invalid "
                + "value [%s]: use %s.", key, value, use));
    }
}

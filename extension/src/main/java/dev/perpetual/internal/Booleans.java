package dev.perpetual.internal;

import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The one boolean grammar of Perpetual's configuration: {@code true} or {@code false}, nothing else. */
public final class Booleans {

    private Booleans() {
    }

    /**
     * {@code key}'s value in {@code config}, or {@code defaultValue} when unset.
     *
     * @throws ExtensionConfigurationException naming the key and the value when it is neither true nor false
     */
    public static boolean read(Function<String, Optional<String>> config, String key, boolean defaultValue) {
        return config.apply(key).map(value -> parse(key, value)).orElse(defaultValue);
    }

    static boolean parse(String key, String value) {
        String text = value.strip();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ExtensionConfigurationException(String.format("Configuration parameter '%s' has an invalid value "
                + "[%s]: use true or false.", key, value));
    }
}

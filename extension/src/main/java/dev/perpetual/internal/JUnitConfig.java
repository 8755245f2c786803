package dev.perpetual.internal;

import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Config;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** {@link Config} over JUnit's configuration parameters; {@code user} names who asked, for the message. */
record JUnitConfig(String user, Function<String, Optional<String>> parameters) implements Config {

    @Override
    public Optional<String> get(String key) {
        return parameters.apply(key);
    }

    @Override
    public String require(String key) {
        return get(key).orElseThrow(() -> new ExtensionConfigurationException(String.format(
                "%s needs the configuration parameter '%s', which is not set. Set it in junit-platform.properties, "
                        + "with -D%s=<value>, or with the daemon's --config %s=<value>.",
                user, key, key, key)));
    }
}

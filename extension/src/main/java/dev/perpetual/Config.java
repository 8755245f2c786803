package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;

import org.apiguardian.api.API;

/**
 * JUnit configuration parameters ({@code junit-platform.properties}, {@code -D}, the daemon's {@code --config}),
 * so one test reads each environment's URLs and credentials without code changes. Available as a parameter of
 * {@link Perpetual} tests, their lifecycle methods and {@link Shared} factories; {@link O#config} reads the same.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Config {

    /** The value of {@code key}, if set. */
    Optional<String> get(String key);

    /**
     * The value of {@code key}.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException naming the key and how to set it
     */
    String require(String key);
}

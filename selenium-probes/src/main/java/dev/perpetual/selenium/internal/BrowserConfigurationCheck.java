package dev.perpetual.selenium.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import java.util.function.Consumer;

import dev.perpetual.spi.ConfigurationCheck;
import org.apiguardian.api.API;

/** The browser probes' keys ({@code perpetual.selenium.*}, {@code perpetual.artifacts.*}), checked at start. */
@API(status = INTERNAL, since = "0.2")
public final class BrowserConfigurationCheck implements ConfigurationCheck {

    @Override
    public void check(Map<String, String> config, Consumer<String> problems) {
        var reader = ConfigurationCheck.reader(config);
        BrowserSettings.check(reader, problems);
        PageServerSettings.check(reader, problems);
    }
}

package dev.perpetual.internal.webhook;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import java.util.function.Consumer;

import dev.perpetual.spi.ConfigurationCheck;
import org.apiguardian.api.API;

/** The webhook receiver's keys, checked at start with the parsers the receiver uses ({@link Settings}). */
@API(status = INTERNAL, since = "0.2")
public final class WebhookConfigurationCheck implements ConfigurationCheck {

    @Override
    public void check(Map<String, String> config, Consumer<String> problems) {
        Settings.check(config, problems);
    }
}

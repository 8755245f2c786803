package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class DaemonMojoTest {

    @Test
    void everyPerpetualUserPropertyButThePluginsOwnIsPassedToTheDaemon() {
        Properties user = new Properties();
        user.setProperty("perpetual.timeout.default", "5s");
        user.setProperty("perpetual.env.shop.url", "https://staging.shop");
        user.setProperty("perpetual.select", "CheckoutE2E");
        user.setProperty("perpetual.port", "0");
        user.setProperty("skipTests", "true");

        assertThat(DaemonMojo.config(user)).containsExactly(
                java.util.Map.entry("perpetual.env.shop.url", "https://staging.shop"),
                java.util.Map.entry("perpetual.timeout.default", "5s"));
    }
}

package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad configuration fails the start, naming the key, the value and the accepted form. */
class SettingsTest {

    private static Settings settings(String key, String value) {
        return new Settings(k -> Optional.ofNullable(Map.of(key, value).get(k)));
    }

    @ParameterizedTest
    @CsvSource({ "1MiB, 1048576", "512KiB, 524288", "100, 100", "1 GiB, 1073741824", " 64 , 64" })
    void max_body_takes_bytes_or_binary_units(String text, long bytes) {
        assertThat(Settings.size("perpetual.webhooks.max-body", text)).isEqualTo(bytes);
    }

    @Test
    void defaults_are_the_documented_ones() {
        Settings settings = new Settings(key -> Optional.empty());

        assertThat(settings.maxBody).isEqualTo(1024 * 1024);
        assertThat(settings.port).isZero();
        assertThat(settings.bindAddress.isAnyLocalAddress()).isTrue();
        assertThat(settings.threads).isZero();
        assertThat(settings.publicUrl).isEmpty();
        assertThat(settings.signatures).isEmpty();
        assertThat(settings.defaultKey).isInstanceOf(JsonKey.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "perpetual.webhooks.max-body|1MB|Invalid configuration parameter perpetual.webhooks.max-body = [1MB]: "
                + "expected a size in bytes such as 65536, or a number with KiB, MiB or GiB such as 512KiB or 1MiB",
        "perpetual.webhooks.max-body|3GiB|Invalid configuration parameter perpetual.webhooks.max-body = [3GiB]: "
                + "expected a size in bytes such as 65536, or a number with KiB, MiB or GiB such as 512KiB or 1MiB, "
                + "from 1 byte to 2GiB",
        "perpetual.webhooks.port|70000|Invalid configuration parameter perpetual.webhooks.port = [70000]: expected a "
                + "port number from 0 to 65535 (0: any free port)",
        "perpetual.webhooks.threads|many|Invalid configuration parameter perpetual.webhooks.threads = [many]: "
                + "expected a number of threads from 0 to 1024 (0: the server's own choice)",
        "perpetual.webhooks.public-url|probes.example.com|Invalid configuration parameter "
                + "perpetual.webhooks.public-url = [probes.example.com]: expected an absolute http or https URL "
                + "without query, such as https://probes.example.com",
        "perpetual.webhooks.key|xpath:/id|Invalid configuration parameter perpetual.webhooks.key = [xpath:/id]: "
                + "expected json:<JSON pointer> such as json:/id, header:<name> such as header:X-Correlation-Id, or "
                + "regex:<pattern with one group> such as regex:\"ref\":\"([^\"]+)\"",
        "perpetual.webhooks.key|json:id|Invalid configuration parameter perpetual.webhooks.key = [json:id]: "
                + "expected json:<JSON pointer> such as json:/id, header:<name> such as header:X-Correlation-Id, or "
                + "regex:<pattern with one group> such as regex:\"ref\":\"([^\"]+)\" (Invalid input: JSON Pointer "
                + "expression must start with '/': \"id\")",
        "perpetual.webhooks.key|regex:ref=\\w+|Invalid configuration parameter perpetual.webhooks.key = "
                + "[regex:ref=\\w+]: expected json:<JSON pointer> such as json:/id, header:<name> such as "
                + "header:X-Correlation-Id, or regex:<pattern with one group> such as regex:\"ref\":\"([^\"]+)\"",
        "perpetual.webhooks.secret|whsec_not base64!|Invalid configuration parameter perpetual.webhooks.secret = "
                + "[<17 characters, not shown>]: expected a Standard Webhooks secret: whsec_ followed by base64, such "
                + "as whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" })
    void a_bad_value_names_key_value_and_accepted_form(String key, String value, String message) {
        assertThatThrownBy(() -> settings(key, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void a_bad_channel_key_fails_when_the_channel_is_first_used() {
        try (WebhookReceiver receiver = WebhookReceiver.start(
                k -> Optional.ofNullable(Map.of("perpetual.webhooks.bind-address", "127.0.0.1",
                        "perpetual.webhooks.channels.orders.key", "header:").get(k)),
                Optional.empty(), new SimpleMeterRegistry())) {
            RunWebhooks run = receiver.openRun("T.t", "r-1", java.time.Instant.now().plusSeconds(5),
                    new SimpleMeterRegistry());

            assertThatThrownBy(() -> run.expect("orders", "k-1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid configuration parameter perpetual.webhooks.channels.orders.key "
                            + "= [header:]: expected json:<JSON pointer>");
        }
    }

    @Test
    void a_bad_default_channel_key_fails_the_start() {
        assertThatThrownBy(() -> WebhookReceiver.start(
                k -> Optional.ofNullable(Map.of("perpetual.webhooks.channels.default.key", "nope").get(k)),
                Optional.empty(), new SimpleMeterRegistry())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid configuration parameter perpetual.webhooks.channels.default.key = "
                        + "[nope]");
    }
}

package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;

import org.apiguardian.api.API;

/**
 * Waits for webhooks that the system under test delivers, matched by a correlation key. Declare it as a test
 * method parameter of a {@link Perpetual} test.
 *
 * <p>The receiver behind it is started once per launcher session (the build under {@code mvn test}, the daemon's
 * life under the daemon) and accepts {@code POST /webhooks/{channel}}; the default channel is
 * {@value #DEFAULT_CHANNEL}. The key is extracted per channel as configured by
 * {@value Constants#WEBHOOKS_KEY} ({@code json:/id} by default).
 *
 * <p>Register before acting: {@link #expect(String)} first, then make the system under test act, then
 * {@link PendingWebhook#await()}. Expectations are removed when the run ends.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface WebhookWaiter {

    /** The channel used when none is named: {@value}. */
    String DEFAULT_CHANNEL = "default";

    /** The URL the system under test must deliver the default channel's webhooks to. */
    URI url();

    /**
     * The URL for {@code channel}: {@value Constants#WEBHOOKS_PUBLIC_URL} plus {@code /webhooks/{channel}} when
     * set (behind a load balancer), else the receiver's own bound address.
     */
    URI url(String channel);

    /** Expects a webhook carrying {@code key} on the default channel. */
    PendingWebhook expect(String key);

    /**
     * Expects a webhook carrying {@code key} on {@code channel}. Deliveries for the key are kept from now until
     * the run ends, duplicates included.
     *
     * @throws IllegalStateException if another live run already expects the same key on the channel
     */
    PendingWebhook expect(String channel, String key);
}

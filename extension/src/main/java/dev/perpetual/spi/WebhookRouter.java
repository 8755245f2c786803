package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apiguardian.api.API;

/**
 * How a host with several processes behind one webhook port (the daemon's workers, which share it) finds the run
 * that expects a delivery, whichever process the delivery reached. The extension registers each expectation here
 * before the test goes on, and routes here every delivery no run of its own expects; the host hands a routed
 * delivery to the expecting process's {@link WebhookEndpoint#deliverRouted}, or keeps it for
 * {@code perpetual.webhooks.early-retention} in case its expectation is registered soon after.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface WebhookRouter {

    /**
     * Makes {@code key} on {@code channel} known host-wide as expected by run {@code runId} of this process, before it
     * returns; a delivery the host kept for it arrives through {@link WebhookEndpoint#deliverRouted} afterwards.
     *
     * @throws IllegalStateException when a run of another process expects the same key, naming it
     * @throws RuntimeException      when the host cannot be reached in time
     */
    void expect(String channel, String key, String runId);

    /** The run no longer waits for {@code key}; never throws. */
    void unexpect(String channel, String key, String runId);

    /**
     * A delivery no run of this process expects; completes with the HTTP status for its sender (200 once the host
     * has it, 503 when it could not take it). Never blocks.
     */
    CompletionStage<Integer> route(String channel, String key, byte[] body, Map<String, List<String>> headers);
}

package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;

import org.apiguardian.api.API;

/**
 * A registered expectation for a webhook carrying {@link #key()}, returned by {@link WebhookWaiter#expect}.
 * A failed wait says what happened meanwhile: the key, the channel, the URL, how long it waited and what did
 * arrive instead.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface PendingWebhook {

    /** The correlation key this expectation waits for. */
    String key();

    /** The channel this expectation listens on. */
    String channel();

    /** Waits for the first delivery, at most until the run's deadline. */
    ReceivedWebhook await();

    /** Waits for the first delivery, at most {@code timeout} (and never past the run's deadline). */
    ReceivedWebhook await(Duration timeout);

    /** Waits for the first {@code n} deliveries for the key (duplicates included), at most until the deadline. */
    List<ReceivedWebhook> awaitCount(int n);

    /** Waits for the first {@code n} deliveries, at most {@code timeout} (never past the run's deadline). */
    List<ReceivedWebhook> awaitCount(int n, Duration timeout);

    /**
     * Asserts that no more than {@code n} deliveries arrive within {@code window}: waits the whole window (never
     * past the run's deadline) and fails as soon as delivery {@code n + 1} arrives. For "delivered exactly once".
     */
    List<ReceivedWebhook> assertAtMost(int n, Duration window);

    /** Every delivery received for the key so far, in arrival order. */
    List<ReceivedWebhook> received();
}

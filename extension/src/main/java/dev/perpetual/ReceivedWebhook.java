package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apiguardian.api.API;

/** One webhook delivery received for an expected key. Immutable. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ReceivedWebhook {

    /** The correlation key extracted from the delivery. */
    String key();

    /** The channel it was delivered to ({@code POST /webhooks/{channel}}). */
    String channel();

    /** The body as UTF-8 text. */
    String body();

    /** The raw body. */
    byte[] bodyBytes();

    /** The request headers, names in lower case. */
    Map<String, List<String>> headers();

    /** The first value of a header, matched ignoring case. */
    Optional<String> header(String name);

    /**
     * The {@code traceparent} the delivery carried: the run's own trace id in it ({@link RunTrace#traceId()}) means
     * the system under test kept the run's trace context through its asynchronous hops.
     */
    default Optional<String> traceparent() {
        return header(RunTrace.TRACEPARENT);
    }

    /** The {@code baggage} the delivery carried, such as {@code perpetual.tenancy=test,…}. */
    default Optional<String> baggage() {
        return header(RunTrace.BAGGAGE);
    }

    /** When the receiver read the delivery. */
    Instant receivedAt();

    /** The time from {@link WebhookWaiter#expect} to receipt. */
    Duration latency();
}

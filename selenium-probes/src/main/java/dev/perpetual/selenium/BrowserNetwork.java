package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.apiguardian.api.API;

/**
 * The requests this run's browser tab made, captured through WebDriver BiDi ({@code network.beforeRequestSent},
 * {@code responseCompleted}, {@code fetchError}; bodies through {@code network.getData}). Requests are ordered by
 * the browser's timestamps, not by the order BiDi events happened to arrive.
 *
 * <pre>
 * CapturedRequest beacon = network.await(request -&gt; request.method().equals("POST")
 *         &amp;&amp; request.url().getPath().equals("/v1/t"));
 * assertThat(beacon.body()).contains("Order Completed");
 * </pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface BrowserNetwork {

    /**
     * The first request of this run (by start time, including those made before this call) that matches and has
     * finished (answered or failed), waiting for one until the run's deadline (or 30 seconds outside a
     * {@code @Perpetual} run).
     *
     * @throws AssertionError naming the requests seen when none matched in time
     */
    CapturedRequest await(Predicate<? super CapturedRequest> matching);

    /** Like {@link #await(Predicate)}, waiting at most {@code timeout}. */
    CapturedRequest await(Predicate<? super CapturedRequest> matching, Duration timeout);

    /** The requests of this run so far, finished or not, in start order. */
    List<CapturedRequest> requests();
}

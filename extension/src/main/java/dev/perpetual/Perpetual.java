package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.perpetual.internal.PerpetualExtension;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that runs once in the IDE or under {@code mvn test}, and forever, every {@link #period()},
 * under the Perpetual daemon.
 *
 * <p>A perpetual test is an ordinary Jupiter {@link Test @Test}: {@code @BeforeEach}, {@code @AfterEach},
 * {@code @DisplayName}, {@code @Disabled} and other extensions keep working. It is tagged
 * {@value #TAG}, and it may declare an {@link O} and a {@link WebhookWaiter} parameter.
 *
 * <pre>
 * class CheckoutE2E {
 *     &#64;Perpetual(period = "30s", timeout = "10s")
 *     void orderConfirmed(O o, WebhookWaiter webhooks) throws Exception {
 *         String key = o.runId();
 *         PendingWebhook confirmation = webhooks.expect(key);      // register first
 *         shop.placeOrder(key, webhooks.url());                   // then act
 *         ReceivedWebhook hook = confirmation.await();            // bounded by the run's deadline
 *         o.log("confirmed in %s", hook.latency());
 *     }
 * }
 * </pre>
 *
 * <h2>Durations</h2>
 * {@link #period()}, {@link #timeout()} and {@link #periodWhileFailing()} use JUnit's timeout grammar
 * {@code <number>[ns|μs|us|ms|s|m|h|d]} (a bare number means seconds), compound forms such as {@code 1h30m}
 * and ISO-8601 such as {@code PT30S}. The same grammar applies to every duration-valued configuration key.
 *
 * <h2>Timeout</h2>
 * The run's deadline is its start plus {@link #timeout()}. The timeout is enforced preemptively: a test blocked
 * in a read or spinning in a loop still ends at its deadline, reported with the test thread's stack at that
 * moment, and its cleanups still run. {@code junit.jupiter.execution.timeout.mode} is honoured
 * ({@code disabled_on_debug}: no timeout while a debugger is attached).
 *
 * <p>Each attribute can be overridden per environment without code changes, by the configuration parameters
 * {@code perpetual.test.<name>.period}, {@code .timeout} and {@code .enabled} (see {@link Constants}).
 *
 * <h2>Alerts</h2>
 * {@link #dependsOn()} names the tests this one cannot pass without (a login probe, the API every journey goes
 * through): the shipped Alertmanager configuration holds this test's notifications while one of them fails.
 * {@link #objective()} states how often it must pass, for the error-budget burn-rate alerts.
 */
@Target({ ElementType.ANNOTATION_TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@Tag(Perpetual.TAG)
@ExtendWith(PerpetualExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Perpetual {

    /** The tag every perpetual test carries, for {@code --include-tag perpetual}: {@value}. */
    String TAG = "perpetual";

    /** How often the daemon starts this test, for example {@code "30s"}. Required. */
    String period();

    /**
     * How long one run may take, for example {@code "10s"}; the run's {@link O#deadline()}. Empty means the
     * configuration parameter {@value Constants#TIMEOUT_DEFAULT}, itself one minute by default. May be longer
     * than the period.
     */
    String timeout() default "";

    /**
     * A stable name for dashboards and alerts, used as the {@code test} label. Empty means
     * {@code SimpleClassName.methodName}. Keep it stable: renaming it starts a new time series.
     */
    String name() default "";

    /** What the daemon does when a tick finds the previous run still going. Default {@link Overlap#SKIP}. */
    Overlap overlap() default Overlap.SKIP;

    /**
     * How many times the daemon retries a failed run before recording it as failed; a run that passes on a
     * retry is recorded as {@code flaky}. Default 0. A single {@code mvn test} execution does not retry.
     */
    int retries() default 0;

    /**
     * A shorter period used by the daemon while the test is failing, back to {@link #period()} after a pass.
     * Empty means the test keeps its period.
     */
    String periodWhileFailing() default "";

    /**
     * The Perpetual names of the tests this one depends on, for example {@code "TrackingApiProbe.apiIsUp"}: while
     * one of them fails, this test's alerts are held back (Alertmanager inhibition), and sent if it still fails once
     * they pass. Its runs are still made, recorded and counted. Unknown names and cycles stop the daemon at start.
     * Overridden by {@code perpetual.test.<name>.depends-on} (comma-separated). Default: none.
     */
    String[] dependsOn() default {};

    /**
     * The share of runs that must pass, for example {@code "99.5%"}: exported as
     * {@code perpetual_test_objective_ratio} for the error-budget burn-rate alerts. Overridden by
     * {@code perpetual.test.<name>.objective}. Empty (the default) means no objective and no burn-rate alert.
     */
    String objective() default "";
}

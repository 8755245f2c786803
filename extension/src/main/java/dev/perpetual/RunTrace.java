package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;

import org.apiguardian.api.API;

/**
 * The W3C trace context of one run: a fresh trace id, the run's root span, and the baggage that marks the run's
 * requests as test traffic. Put {@link #headers()} on every request the test makes, so the system under test can
 * route, store and alert on test traffic apart from its customers':
 *
 * <pre>
 * HttpRequest request = HttpRequest.newBuilder(uri).POST(body);
 * o.trace().headers().forEach(request::header);
 * </pre>
 *
 * <p>When {@code opentelemetry-api} is on the class path, the run's span and baggage are also the current
 * OpenTelemetry {@code Context} while the test and its {@code @BeforeEach}/{@code @AfterEach} methods run, so
 * instrumented clients send these headers with no test code.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface RunTrace {

    /** The {@code traceparent} header: {@value}. */
    String TRACEPARENT = "traceparent";

    /** The {@code tracestate} header: {@value}. */
    String TRACESTATE = "tracestate";

    /** The {@code baggage} header: {@value}. */
    String BAGGAGE = "baggage";

    /** The baggage entry holding the run's tenancy, {@link Constants#TENANCY}: {@value}. */
    String TENANCY_ENTRY = "perpetual.tenancy";

    /** The baggage entry holding the test's stable name: {@value}. */
    String TEST_ENTRY = "perpetual.test";

    /** The baggage entry holding the run id: {@value}. */
    String RUN_ENTRY = "perpetual.run";

    /** The run's trace id: 32 lowercase hexadecimal digits, fresh for every run. */
    String traceId();

    /** The run's root span id: 16 lowercase hexadecimal digits. */
    String spanId();

    /** The {@code traceparent} header value: {@code 00-<trace id>-<span id>-01}. */
    String traceparent();

    /** The {@code tracestate} header value: {@code perpetual=<tenancy>}, for collectors to sample and filter on. */
    String tracestate();

    /**
     * The {@code baggage} header value: {@code perpetual.tenancy=<tenancy>,perpetual.test=<test>,perpetual.run=<run
     * id>}, values percent-encoded.
     */
    String baggage();

    /** The run's tenancy, {@link Constants#TENANCY} (default {@value Constants#TENANCY_VALUE}). */
    String tenancy();

    /** {@code traceparent}, {@code tracestate} and {@code baggage}, ready to put on any request. Immutable. */
    Map<String, String> headers();
}

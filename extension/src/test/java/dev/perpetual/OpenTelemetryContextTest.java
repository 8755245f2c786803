package dev.perpetual;

import static dev.perpetual.TestKit.assertAllSucceeded;
import static dev.perpetual.TestKit.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import dev.perpetual.testing.HeaderRecordingServer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("With opentelemetry-api on the class path, the run's span and baggage are the current Context")
class OpenTelemetryContextTest {

    private static final String SUT = "perpetual.env.sut.url";

    @Test
    void in_before_each_the_test_and_after_each_and_gone_after_the_run() {
        ContextTestCase.seen.clear();

        assertAllSucceeded(execute(ContextTestCase.class));

        assertThat(ContextTestCase.seen).hasSize(3).allSatisfy(seen -> {
            assertThat(seen).isEqualTo(ContextTestCase.expected);
        });
        assertThat(ContextTestCase.seen.get(0).get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(Span.current().getSpanContext().isValid()).as("nothing left current on this thread").isFalse();
        assertThat(Baggage.current().isEmpty()).isTrue();
    }

    @Test
    void a_client_instrumented_with_the_w3c_propagators_sends_the_runs_headers_with_no_test_code() throws Exception {
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            assertAllSucceeded(execute(InstrumentedClientTestCase.class, SUT, sut.url().toString()));

            Map<String, String> headers = sut.requests().get(0);
            assertThat(headers.get("traceparent")).isEqualTo(headers.get("x-expected-traceparent"));
            assertThat(headers.get("tracestate")).isEqualTo("perpetual=test");
            assertThat(headers.get("baggage")).contains("perpetual.tenancy=test", "perpetual.test="
                    + "InstrumentedClientTestCase.calls", "perpetual.run=");
        }
    }

    @Test
    void inside_a_step_the_steps_span_is_current_so_a_clients_request_is_a_child_of_the_step() throws Exception {
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            RunReport report = TestKit.firstReport(SteppingClientTestCase.class, SUT, sut.url().toString());
            assertThat(report.outcome()).as(report.failure().map(Throwable::toString).orElse(""))
                    .isEqualTo(Outcome.PASS);
            String traceId = report.trace().traceId();
            RunReport.Step pay = report.steps().get(0);
            RunReport.Step order = report.steps().get(1);
            assertThat(List.of(pay.name(), order.name())).containsExactly("order > pay", "order");
            assertThat(sut.requests()).extracting(headers -> headers.get("traceparent")).containsExactly(
                    "00-" + traceId + "-" + order.spanId() + "-01",
                    "00-" + traceId + "-" + pay.spanId() + "-01",
                    "00-" + traceId + "-" + order.spanId() + "-01",
                    "00-" + traceId + "-" + report.trace().spanId() + "-01");
            assertThat(sut.requests()).allSatisfy(headers -> assertThat(headers.get("baggage"))
                    .contains("perpetual.tenancy=test", "perpetual.test=SteppingClientTestCase.calls"));
        }
        assertThat(Span.current().getSpanContext().isValid()).as("nothing left current on this thread").isFalse();
    }

    /** What an instrumented client would send: the current Context, through OpenTelemetry's W3C propagators. */
    static Map<String, String> propagated() {
        Map<String, String> headers = new java.util.TreeMap<>();
        TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
                .inject(Context.current(), headers, Map::put);
        return headers;
    }

    static class ContextTestCase {

        static final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        static volatile Map<String, String> expected;

        @BeforeEach
        void before() {
            seen.add(propagated());
        }

        @Perpetual(period = "1m", timeout = "10s")
        void runs(O o) {
            seen.add(propagated());
            expected = Map.of("traceparent", o.trace().traceparent(), "tracestate", o.trace().tracestate(),
                    "baggage", Baggage.current().asMap().isEmpty() ? "" : propagated().get("baggage"));
            assertThat(Baggage.current().getEntryValue("perpetual.tenancy")).isEqualTo("test");
            assertThat(Baggage.current().getEntryValue("perpetual.test")).isEqualTo("ContextTestCase.runs");
            assertThat(Baggage.current().getEntryValue("perpetual.run")).isEqualTo(o.runId());
        }

        @AfterEach
        void after() {
            seen.add(propagated());
        }
    }

    static class InstrumentedClientTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void calls(O o) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(o.requireConfig(SUT)))
                    .header("x-expected-traceparent", o.trace().traceparent());
            propagated().forEach(request::header);
            HttpResponse<Void> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(204);
        }
    }

    static class SteppingClientTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void calls(O o) throws Exception {
            o.step("order", () -> {
                call(o);
                o.step("pay", () -> call(o));
                call(o);
            });
            call(o);
        }

        private static void call(O o) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(o.requireConfig(SUT)));
            propagated().forEach(request::header);
            HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding());
        }
    }
}

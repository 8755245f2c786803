package dev.perpetual;

import static dev.perpetual.TestKit.assertAllSucceeded;
import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.testing.HeaderRecordingServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("O.trace(): every run's W3C trace context and tenancy")
class RunTraceTest {

    private static final String SUT = "perpetual.env.sut.url";

    @Test
    void a_request_made_with_the_runs_headers_carries_traceparent_tracestate_and_baggage() throws Exception {
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            assertAllSucceeded(execute(CallingTestCase.class, SUT, sut.url().toString()));

            assertThat(sut.requests()).singleElement().satisfies(headers -> {
                String traceId = headers.get("traceparent").substring(3, 35);
                assertThat(headers.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
                assertThat(traceId).isNotEqualTo("0".repeat(32));
                assertThat(headers.get("tracestate")).isEqualTo("perpetual=test");
                assertThat(headers.get("baggage")).matches("perpetual\\.tenancy=test,"
                        + "perpetual\\.test=CallingTestCase\\.calls,perpetual\\.run=[0-9a-z]+-[0-9a-z]{12}");
                assertThat(headers.get("x-seen-trace-id")).isEqualTo(traceId);
            });
        }
    }

    @Test
    void every_run_has_a_fresh_trace_id_and_root_span() throws Exception {
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            assertAllSucceeded(execute(CallingTestCase.class, SUT, sut.url().toString()));
            assertAllSucceeded(execute(CallingTestCase.class, SUT, sut.url().toString()));

            assertThat(sut.requests()).hasSize(2);
            assertThat(sut.requests().stream().map(headers -> headers.get("traceparent").substring(3, 35)))
                    .doesNotHaveDuplicates();
            assertThat(sut.requests().stream().map(headers -> headers.get("traceparent").substring(36, 52)))
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void the_tenancy_comes_from_perpetual_tenancy() throws Exception {
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            assertAllSucceeded(execute(CallingTestCase.class, SUT, sut.url().toString(), Constants.TENANCY,
                    "synthetic-eu"));

            assertThat(sut.requests()).singleElement().satisfies(headers -> {
                assertThat(headers.get("tracestate")).isEqualTo("perpetual=synthetic-eu");
                assertThat(headers.get("baggage")).startsWith("perpetual.tenancy=synthetic-eu,");
            });
        }
    }

    @Test
    void a_bad_tenancy_fails_the_run_naming_the_key_the_value_and_the_fix() {
        Throwable failure = failure(execute(CallingTestCase.class, SUT, "http://127.0.0.1:9/",
                Constants.TENANCY, "test traffic"));

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "perpetual.tenancy must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-' (it is sent as "
                        + "baggage and becomes a metric label), not [test traffic]. Set it to a name such as 'test' "
                        + "or 'synthetic'.");
    }

    @Test
    void steps_are_child_spans_of_the_run_and_nested_steps_of_their_step() {
        SessionTest.RecordingHost host = new SessionTest.RecordingHost();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
            session.getLauncher().execute(request().selectors(selectClass(SteppingTestCase.class))
                    .configurationParameter("perpetual.report.stdout", "false").build());
        }

        RunReport report = host.reports.get(0);
        assertThat(report.trace().traceId()).matches("[0-9a-f]{32}");
        List<RunReport.Step> steps = report.steps();
        assertThat(steps).extracting(RunReport.Step::name).containsExactly("log in", "order > pay", "order");
        RunReport.Step login = steps.get(0);
        RunReport.Step pay = steps.get(1);
        RunReport.Step order = steps.get(2);
        assertThat(List.of(login.spanId(), pay.spanId(), order.spanId())).allMatch(id -> id.matches("[0-9a-f]{16}"))
                .doesNotHaveDuplicates().doesNotContain(report.trace().spanId());
        assertThat(login.parentSpanId()).isEqualTo(report.trace().spanId());
        assertThat(order.parentSpanId()).isEqualTo(report.trace().spanId());
        assertThat(pay.parentSpanId()).isEqualTo(order.spanId());
    }

    static class CallingTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void calls(O o) throws Exception {
            RunTrace trace = o.trace();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(o.requireConfig(SUT)))
                    .header("x-seen-trace-id", trace.traceId());
            trace.headers().forEach(request::header);
            HttpResponse<Void> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(trace.traceparent()).isEqualTo("00-" + trace.traceId() + "-" + trace.spanId() + "-01");
            assertThat(trace.headers()).isEqualTo(Map.of("traceparent", trace.traceparent(), "tracestate",
                    trace.tracestate(), "baggage", trace.baggage()));
        }
    }

    static class SteppingTestCase {

        @Perpetual(period = "1m", timeout = "10s")
        void steps(O o) {
            o.step("log in", () -> { });
            o.step("order", () -> o.step("pay", () -> { }));
        }
    }
}

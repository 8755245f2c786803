package dev.perpetual;

import static dev.perpetual.TestKit.assertAllSucceeded;
import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import dev.perpetual.testing.HeaderRecordingServer;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Runs in a JVM of its own with the real OpenTelemetry Java agent attached (the {@code otel-agent} Surefire
 * execution), as a user's {@code mvn test} or the daemon's worker ({@code perpetual.worker.jvm-args}) would.
 */
@DisplayName("Under the OpenTelemetry Java agent, a plain HttpClient request carries the run's trace and baggage")
class OpenTelemetryAgentTest {

    private static final String SUT = "perpetual.env.sut.url";

    @Test
    void with_no_test_code() throws Exception {
        assumeTrue(Boolean.getBoolean("perpetual.it.otel-agent"), "runs in the otel-agent execution only");
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .anyMatch(argument -> argument.startsWith("-javaagent:") && argument.contains("opentelemetry"));
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            EngineExecutionResults results = execute(PlainClientTestCase.class, SUT, sut.url().toString());

            assertAllSucceeded(results);
            String traceId = reportEntries(results, "perpetual.run").get(0).replaceAll(".*, trace ", "");
            assertThat(traceId).matches("[0-9a-f]{32}");
            Map<String, String> headers = sut.requests().get(0);
            assertThat(headers.get("traceparent")).as("the agent's client span, a child in the run's trace")
                    .matches("00-" + traceId + "-[0-9a-f]{16}-01");
            assertThat(headers.get("baggage")).contains("perpetual.tenancy=test",
                    "perpetual.test=PlainClientTestCase.calls", "perpetual.run=");
        }
    }

    @Test
    void in_a_step_the_step_is_the_agents_current_span_and_a_plain_request_is_in_the_runs_trace() throws Exception {
        assumeTrue(Boolean.getBoolean("perpetual.it.otel-agent"), "runs in the otel-agent execution only");
        try (HeaderRecordingServer sut = new HeaderRecordingServer()) {
            RunReport report = TestKit.firstReport(SteppingPlainClientTestCase.class, SUT, sut.url().toString());
            assertThat(report.outcome()).as(report.failure().map(Throwable::toString).orElse(""))
                    .isEqualTo(Outcome.PASS);
            String step = report.steps().get(0).spanId();
            assertThat(SteppingPlainClientTestCase.currentInStep).as("Span.current() in the step, through the agent's "
                    + "bridge").isEqualTo(step);
            assertThat(sut.requests().get(0).get("traceparent")).as("the agent's client span, in the run's trace")
                    .matches("00-" + report.trace().traceId() + "-[0-9a-f]{16}-01")
                    .doesNotContain(step, report.trace().spanId());
        }
    }

    static class SteppingPlainClientTestCase {

        static volatile String currentInStep;

        @Perpetual(period = "1m", timeout = "20s")
        void calls(O o) {
            o.step("order", () -> {
                currentInStep = Span.current().getSpanContext().getSpanId();
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(o.requireConfig(SUT))).build(),
                        HttpResponse.BodyHandlers.discarding());
            });
        }
    }

    static class PlainClientTestCase {

        @Perpetual(period = "1m", timeout = "20s")
        void calls(O o) throws Exception {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(o.requireConfig(SUT))).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(204);
        }
    }
}

package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.perpetual.Constants;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * perpetual.traces.otlp.url, against a real OTLP/HTTP receiver: a JDK HttpServer taking POST /v1/traces and decoding
 * it with opentelemetry-proto.
 */
class TraceExportTest {

    private final List<ExportTraceServiceRequest> posts = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private String url;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            posts.add(ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        url = "http://localhost:" + receiver.getAddress().getPort() + "/v1/traces";
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void everyRunIsATraceWithItsOwnIdsItsAttributesItsStepsAsChildrenAndItsFailureAsTheErrorStatus()
            throws Exception {
        RunRecord orders;
        RunRecord refunds;
        TestDaemon daemon = TestDaemon.scheduling(List.of("--config", Constants.TRACES_OTLP_URL + "=" + url,
                "--config", Constants.LOCATION + "=eu-west-1", "--config",
                Constants.TRACES_URL_TEMPLATE + "=https://grafana.example/explore?traceId={traceId}"),
                TracedTestCase.class);
        try {
            orders = daemon.awaitRuns("TracedTestCase.orders", 1).get(0);
            refunds = daemon.awaitRuns("TracedTestCase.refunds", 1).get(0);

            String link = "https://grafana.example/explore?traceId=" + refunds.traceId();
            assertThat(daemon.get("/api/tests/TracedTestCase.refunds/runs").body())
                    .contains("\"traceId\":\"" + refunds.traceId() + "\"", "\"traceUrl\":\"" + link + "\"");
            assertThat(daemon.get("/status/tests/TracedTestCase.refunds/runs/" + refunds.runId()).body())
                    .contains("<code id=\"trace-id\">" + refunds.traceId() + "</code> <a id=\"trace-link\" href=\""
                            + link + "\">trace →</a>");
            assertThat(daemon.get("/status").body()).as("the last failure's line links to its trace").containsPattern(
                    "<a class=\"trace\" href=\"https://grafana\\.example/explore\\?traceId=[0-9a-f]{32}\">trace &rarr;</a>");
        }
        finally {
            daemon.close();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> spans().stream()
                .anyMatch(span -> hex(span.getTraceId()).equals(refunds.traceId())));

        assertThat(resource("service.name")).isEqualTo(TraceExport.SERVICE_NAME);
        Map<String, Span> byName = spans().stream().filter(span -> hex(span.getTraceId()).equals(orders.traceId()))
                .collect(Collectors.toMap(Span::getName, Function.identity()));
        assertThat(byName).containsOnlyKeys("perpetual.run", "log in", "order", "order > pay");
        Span root = byName.get("perpetual.run");
        assertThat(hex(root.getSpanId())).isEqualTo(orders.spanId());
        assertThat(root.getParentSpanId()).isEmpty();
        assertThat(attributes(root)).containsEntry("perpetual.test", "TracedTestCase.orders")
                .containsEntry("perpetual.run", orders.runId()).containsEntry("perpetual.outcome", "pass")
                .containsEntry("perpetual.location", "eu-west-1");
        assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        assertThat(hex(byName.get("log in").getParentSpanId())).isEqualTo(orders.spanId());
        assertThat(hex(byName.get("order").getParentSpanId())).isEqualTo(orders.spanId());
        assertThat(byName.get("order > pay").getParentSpanId()).isEqualTo(byName.get("order").getSpanId());
        assertThat(orders.steps()).allSatisfy(step -> assertThat(byName.get(step.name()).getSpanId())
                .isEqualTo(bytes(step.spanId())));

        Span failed = spans().stream().filter(span -> hex(span.getTraceId()).equals(refunds.traceId()))
                .filter(span -> span.getName().equals("perpetual.run")).findFirst().orElseThrow();
        assertThat(attributes(failed)).containsEntry("perpetual.outcome", "fail");
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(failed.getStatus().getMessage()).isEqualTo(refunds.oneLineMessage())
                .contains("refund r-7 was not credited");
        assertThat(failed.getEventsList()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            Map<String, String> attributes = event.getAttributesList().stream()
                    .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
            assertThat(attributes.get("exception.message")).isEqualTo(refunds.oneLineMessage());
            assertThat(attributes.get("exception.stacktrace")).isEqualTo(refunds.stack());
        });
    }

    @Test
    void theEndpointComesFromTheKeyElseTheStandardVariablesAndABadUrlIsAProblemNamingTheKey() {
        Map<String, String> none = Map.of();
        assertThat(TraceExport.endpoint(key -> Optional.of("http://c:4318/v1/traces"), none::get))
                .hasValue("http://c:4318/v1/traces");
        assertThat(TraceExport.endpoint(key -> Optional.empty(), Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://t:4318/v1/traces", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://g:4318")::get))
                .hasValue("http://t:4318/v1/traces");
        assertThat(TraceExport.endpoint(key -> Optional.empty(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://g:4318/")::get)).hasValue("http://g:4318/v1/traces");
        assertThat(TraceExport.endpoint(key -> Optional.empty(), none::get)).isEmpty();

        List<String> problems = new ArrayList<>();
        TraceExport.validate(key -> Optional.of("otel-collector:4318"), problems);
        assertThat(problems).containsExactly("Configuration error: perpetual.traces.otlp.url [otel-collector:4318] "
                + "is not an http or https URL; expected an OTLP/HTTP traces endpoint such as "
                + "http://otel-collector:4318/v1/traces.");
    }

    private List<Span> spans() {
        return posts.stream().flatMap(post -> post.getResourceSpansList().stream())
                .flatMap(resource -> resource.getScopeSpansList().stream())
                .flatMap(scope -> scope.getSpansList().stream()).toList();
    }

    private String resource(String key) {
        return posts.get(0).getResourceSpans(0).getResource().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue()).findFirst()
                .orElse(null);
    }

    private static Map<String, String> attributes(Span span) {
        return span.getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}

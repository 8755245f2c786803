package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.Constants;
import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** perpetual.metrics.otlp.url, against a real OTLP/HTTP receiver: a JDK HttpServer taking POST /v1/metrics. */
class OtlpExportTest {

    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private String url;

    record Post(String method, String contentType, ExportMetricsServiceRequest request) {

        Set<String> names() {
            return request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                    .flatMap(s -> s.getMetricsList().stream()).map(Metric::getName).collect(Collectors.toSet());
        }

        /** The attributes of the data points of the sum {@code metric}. */
        List<KeyValue> sumAttributes(String metric) {
            return request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                    .flatMap(s -> s.getMetricsList().stream()).filter(m -> m.getName().equals(metric))
                    .flatMap(m -> m.getSum().getDataPointsList().stream()).flatMap(d -> d.getAttributesList().stream())
                    .toList();
        }

        String resource(String key) {
            return request.getResourceMetricsList().stream().flatMap(r -> r.getResource().getAttributesList()
                    .stream()).filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue())
                    .findFirst().orElse(null);
        }
    }

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/v1/metrics", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.add(new Post(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    ExportMetricsServiceRequest.parseFrom(body)));
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        url = "http://localhost:" + receiver.getAddress().getPort() + "/v1/metrics";
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void theDaemonsMetersArePushedEveryStepWithTheLocation() {
        DaemonMetrics metrics = new DaemonMetrics("eu-west-1", OtlpExport.config(url, Duration.ofSeconds(1)));
        try {
            metrics.skipped("Checkout.order", "overlap", 2);
            metrics.lateness(3_000_000);

            await().atMost(Duration.ofSeconds(15)).until(() -> posts.stream()
                    .anyMatch(post -> post.names().contains("perpetual.run.skipped")));
        }
        finally {
            metrics.close();
        }
        Post post = posts.stream().filter(p -> p.names().contains("perpetual.run.skipped")).findFirst().orElseThrow();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.contentType()).isEqualTo("application/x-protobuf");
        assertThat(post.names()).contains("perpetual.schedule.lateness", "perpetual.threads.stuck",
                "perpetual.runs.in.flight", "jvm.memory.used")
                .doesNotContain("perpetual.internal.extension.threads.stuck");
        assertThat(post.resource("service.name")).isEqualTo(OtlpExport.SERVICE_NAME);
        assertThat(post.sumAttributes("perpetual.run.skipped")).extracting(KeyValue::getKey).contains("location", "test", "reason");
        assertThat(metrics.prometheus().scrape()).as("Prometheus still serves the same meters")
                .contains("perpetual_run_skipped_total{location=\"eu-west-1\",reason=\"overlap\","
                        + "test=\"Checkout.order\"} 2.0");
    }

    @Test
    void withTheKeySetTheDaemonPushesItsRunsAndPushesOnceMoreAtShutdown() throws Exception {
        TestDaemon daemon = TestDaemon.scheduling(List.of("--config", Constants.METRICS_OTLP_URL + "=" + url),
                ProbeTestCase.class);
        try {
            daemon.awaitRuns("ProbeTestCase.probe", 1);
        }
        finally {
            daemon.close();
        }

        assertThat(posts).as("pushed at shutdown (the step, 60s, is longer than this test)").isNotEmpty();
        Post last = posts.get(posts.size() - 1);
        assertThat(last.names()).contains("perpetual.run", "perpetual.test.last.success",
                "perpetual.test.last.run.timestamp", "perpetual.probe.checks");
        assertThat(last.request().toString()).contains("ProbeTestCase.probe");
    }

    @Test
    void aTestsMeterTaggedWithASecretIsPushedWithTheSecretAsStars() throws Exception {
        TestDaemon daemon = TestDaemon.scheduling(List.of("--config", Constants.METRICS_OTLP_URL + "=" + url,
                "--config", "shop.token=" + SecretMeterTestCase.TOKEN), SecretMeterTestCase.class);
        try {
            daemon.awaitRuns("SecretMeterTestCase.callsTheShop", 1);
        }
        finally {
            daemon.close();
        }

        Post last = posts.get(posts.size() - 1);
        assertThat(last.sumAttributes("shop.calls")).filteredOn(a -> a.getKey().equals("token"))
                .extracting(a -> a.getValue().getStringValue()).containsExactly("****");
        assertThat(last.request().toString()).doesNotContain(SecretMeterTestCase.TOKEN);
    }

    @Test
    void aUrlThatIsNotHttpIsAConfigurationErrorNamingTheKey() {
        List<String> problems = new ArrayList<>();
        OtlpExport.validate(key -> Optional.of("otel-collector:4318"), problems);
        OtlpExport.validate(key -> Optional.of("http://otel-collector:4318/v1/metrics"), problems);
        OtlpExport.validate(key -> Optional.empty(), problems);

        assertThat(problems).containsExactly("Configuration error: perpetual.metrics.otlp.url [otel-collector:4318] "
                + "is not an http or https URL; expected an OTLP/HTTP metrics endpoint such as "
                + "http://otel-collector:4318/v1/metrics.");
        assertThat(OtlpExport.from(key -> Optional.of(" ")).isEmpty()).isTrue();
        assertThat(OtlpExport.from(key -> Optional.of("http://c:4318/v1/metrics")).orElseThrow().step())
                .isEqualTo(Duration.ofSeconds(OtlpExport.STEP_SECONDS));
    }
}

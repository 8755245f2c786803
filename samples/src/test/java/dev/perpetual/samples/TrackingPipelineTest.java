package dev.perpetual.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.samples.pipeline.TrackingPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sample system under test on its own: what it accepts, refuses, processes and delivers. */
class TrackingPipelineTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<com.sun.net.httpserver.Headers> deliveredHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private TrackingPipeline pipeline;
    private HttpServer destination;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        pipeline = TrackingPipeline.start(0);
        destination = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        destination.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                deliveredHeaders.add(exchange.getRequestHeaders());
                delivered.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        destination.start();
        send("PUT", "/admin/sources/key-1/destinations/hook", null,
                "{\"url\":\"http://127.0.0.1:" + destination.getAddress().getPort() + "/hook\"}");
    }

    @AfterEach
    void stop() {
        pipeline.close();
        destination.stop(0);
    }

    @Test
    void a_tracked_event_is_processed_and_delivered() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/track", "key-1",
                "{\"messageId\":\"m-1\",\"userId\":\"u-1\",\"event\":\"Order Completed\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0)).contains("\"messageId\":\"m-1\"", "\"type\":\"track\"", "\"processed\":true",
                "\"receivedAt\":");
    }

    @Test
    void the_trace_context_a_call_came_with_is_kept_with_its_event_and_put_back_on_every_delivery() throws Exception {
        failuresLeft.set(1); // the first attempt fails: the retry must carry it too
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String baggage = "perpetual.tenancy=test,perpetual.test=TrackedEventProbe.x,perpetual.run=r-1";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(pipeline.url().resolve("/v1/track"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "key-1:".getBytes(StandardCharsets.UTF_8)))
                .header("traceparent", traceparent).header("tracestate", "perpetual=test").header("baggage", baggage)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"messageId\":\"m-t\",\"userId\":\"u-1\",\"event\":\"Order Completed\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(deliveredHeaders.get(0).getFirst("traceparent")).isEqualTo(traceparent);
        assertThat(deliveredHeaders.get(0).getFirst("tracestate")).isEqualTo("perpetual=test");
        assertThat(deliveredHeaders.get(0).getFirst("baggage")).isEqualTo(baggage);
        assertThat(deliveredHeaders.get(0).getFirst("X-Delivery-Attempt")).isEqualTo("2");
    }

    @Test
    void its_own_metrics_label_every_delivery_with_the_tenancy_the_calls_baggage_named() throws Exception {
        track("m-test", "perpetual.tenancy=test,perpetual.test=TrackedEventProbe.x,perpetual.run=r-1");
        track("m-customer", null);
        track("m-other", "perpetual.tenancy=someone-else"); // a tenancy this service does not know: a customer's
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 3);
        send("POST", "/admin/faults", null, "{\"dropPercent\":100}");
        track("m-test-dropped", "perpetual.run=r-2, perpetual.tenancy = test ;meta");

        String metrics = send("GET", "/metrics", null, null).body();

        assertThat(metrics.lines()).contains(
                "pipeline_deliveries_total{result=\"delivered\",tenancy=\"test\"} 1.0",
                "pipeline_deliveries_total{result=\"delivered\",tenancy=\"customer\"} 2.0",
                "pipeline_deliveries_total{result=\"dropped\",tenancy=\"test\"} 1.0",
                "pipeline_deliveries_total{result=\"dropped\",tenancy=\"customer\"} 0.0",
                "pipeline_deliveries_total{result=\"failed\",tenancy=\"customer\"} 0.0",
                "pipeline_events_total{result=\"accepted\",tenancy=\"test\"} 2.0",
                "pipeline_events_total{result=\"accepted\",tenancy=\"customer\"} 2.0",
                "# HELP pipeline_deliveries_total Deliveries of an event to one webhook destination, "
                        + "by how they ended");
        assertThat(metrics).doesNotContain("someone-else");
        assertThat(stats()).contains("\"accepted\":4", "\"delivered\":3", "\"dropped\":1");
    }

    @Test
    void the_rules_shipped_beside_the_pipeline_read_only_metrics_it_exposes() throws Exception {
        Path rules = Path.of(System.getProperty("basedir", "."), "prometheus", "tracking-pipeline-rules.yml");
        Set<String> read = Pattern.compile("\\bpipeline_[a-z_]+").matcher(Files.readString(rules)).results()
                .map(MatchResult::group).collect(Collectors.toCollection(TreeSet::new));

        String metrics = send("GET", "/metrics", null, null).body();

        assertThat(read).contains("pipeline_deliveries_total").allSatisfy(name -> assertThat(metrics)
                .as("the pipeline's /metrics").contains("\n" + name + "{"));
    }

    @Test
    void analytics_js_short_paths_with_a_write_key_in_a_text_plain_body_are_accepted() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(pipeline.url().resolve("/v1/p"))
                .header("Content-Type", "text/plain").header("Origin", "http://page.example")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"writeKey\":\"key-1\",\"messageId\":\"m-2\",\"anonymousId\":\"a-1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("http://page.example");
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0)).contains("\"type\":\"page\"").doesNotContain("writeKey");
    }

    @Test
    void a_cors_preflight_is_answered() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(pipeline.url().resolve("/v1/t"))
                .header("Origin", "http://page.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("POST, GET, OPTIONS");
    }

    @Test
    void a_duplicate_message_id_is_processed_once() throws Exception {
        String event = "{\"messageId\":\"m-dup\",\"userId\":\"u-1\",\"event\":\"Signed Up\"}";
        send("POST", "/v1/track", "key-1", event);
        send("POST", "/v1/track", "key-1", event);

        await().atMost(Duration.ofSeconds(5)).until(() -> stats().contains("\"duplicates\":1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
    }

    @Test
    void a_destination_answering_5xx_gets_the_event_after_retries() throws Exception {
        failuresLeft.set(2);

        send("POST", "/v1/track", "key-1", "{\"messageId\":\"m-3\",\"userId\":\"u-1\",\"event\":\"Retried\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
        assertThat(stats()).contains("\"retries\":2", "\"delivered\":1");
    }

    @Test
    void bad_requests_are_refused_with_the_reason() throws Exception {
        assertThat(send("POST", "/v1/track", "nobody", "{\"messageId\":\"m\",\"userId\":\"u\",\"event\":\"e\"}")
                .statusCode()).isEqualTo(401);
        HttpResponse<String> noEvent = send("POST", "/v1/track", "key-1", "{\"messageId\":\"m\",\"userId\":\"u\"}");
        assertThat(noEvent.statusCode()).isEqualTo(400);
        assertThat(noEvent.body()).contains("a track call needs an 'event' name");
        assertThat(send("POST", "/v1/track", "key-1", "not json").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/track", "key-1", "{\"messageId\":\"" + "x".repeat(40_000) + "\"}")
                .statusCode()).isEqualTo(413);
        assertThat(send("GET", "/v1/track", "key-1", null).statusCode()).isEqualTo(405);
    }

    @Test
    void identify_traits_can_be_polled_from_the_profile() throws Exception {
        send("POST", "/v1/identify", "key-1",
                "{\"messageId\":\"m-4\",\"userId\":\"u-9\",\"traits\":{\"plan\":\"pro\"}}");

        HttpResponse<String> profile = send("GET", "/v1/profiles/u-9", "key-1", null);
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body()).contains("\"plan\":\"pro\"");
    }

    @Test
    void the_fault_switch_drops_deliveries_and_fails_requests_until_cleared() throws Exception {
        assertThat(send("POST", "/admin/faults", null, "{\"apiErrorPercent\":100}").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/track", "key-1", "{\"messageId\":\"m-5\",\"userId\":\"u\",\"event\":\"e\"}")
                .statusCode()).isEqualTo(500);

        send("POST", "/admin/faults", null, "{\"dropPercent\":100}");
        send("POST", "/v1/track", "key-1", "{\"messageId\":\"m-6\",\"userId\":\"u\",\"event\":\"e\"}");
        assertThat(stats()).contains("\"dropped\":1");

        send("DELETE", "/admin/faults", null, null);
        send("POST", "/v1/track", "key-1", "{\"messageId\":\"m-7\",\"userId\":\"u\",\"event\":\"e\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        assertThat(send("POST", "/admin/faults", null, "{\"dropPercent\":101}").body())
                .contains("dropPercent must be between 0 and 100 [101]");
    }

    /** A tracked event with {@code baggage} (none when null) on its call. */
    private void track(String messageId, String baggage) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(pipeline.url().resolve("/v1/track"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "key-1:".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"messageId\":\"" + messageId + "\",\"userId\":\"u-1\",\"event\":\"Order Completed\"}"));
        if (baggage != null) {
            request.header("baggage", baggage);
        }
        assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private String stats() throws Exception {
        return send("GET", "/stats", null, null).body();
    }

    private HttpResponse<String> send(String method, String path, String writeKey, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pipeline.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (writeKey != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

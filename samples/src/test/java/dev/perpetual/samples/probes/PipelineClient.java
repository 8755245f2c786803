package dev.perpetual.samples.probes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.Config;
import dev.perpetual.RunTrace;
import dev.perpetual.samples.pipeline.TrackingPipeline;

/**
 * What the probes use to talk to the tracking pipeline: the one at {@value #URL_KEY} when it is set (the main job,
 * staging, production), else an embedded one started for the launcher session (a plain {@code mvn test}). Shared
 * by every run through a {@code @Shared} factory, so its connection pool outlives runs.
 */
public final class PipelineClient implements AutoCloseable {

    /** The configuration key with the pipeline's base URL: {@value}. */
    public static final String URL_KEY = "samples.pipeline.url";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final TrackingPipeline embedded;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PipelineClient(URI url, TrackingPipeline embedded) {
        this.url = url;
        this.embedded = embedded;
    }

    /** Connects to the configured pipeline, or starts an embedded one. */
    public static PipelineClient connect(Config config) throws IOException {
        Optional<String> configured = config.get(URL_KEY).filter(value -> !value.isBlank());
        if (configured.isPresent()) {
            return new PipelineClient(URI.create(configured.get().replaceAll("/+$", "")), null);
        }
        TrackingPipeline pipeline = TrackingPipeline.start(0);
        return new PipelineClient(pipeline.url(), pipeline);
    }

    public URI url() {
        return url;
    }

    /** Makes {@code writeKey}'s events go to {@code destination} (idempotent). */
    public void deliverTo(String writeKey, String name, URI destination) throws IOException, InterruptedException {
        expectOk(request("PUT", "/admin/sources/" + writeKey + "/destinations/" + name, null,
                JSON.writeValueAsString(Map.of("url", destination.toString()))));
    }

    /** Creates the source of {@code writeKey}, with no destinations yet (idempotent). */
    public void createSource(String writeKey) throws IOException, InterruptedException {
        expectOk(request("PUT", "/admin/sources/" + writeKey, null, null));
    }

    /** Sends one call to the Tracking API ({@code track}, {@code identify}, …) and returns the response. */
    public HttpResponse<String> send(String call, String writeKey, Map<String, Object> message)
            throws IOException, InterruptedException {
        return post(call, writeKey, message, Map.of());
    }

    /**
     * Sends one call marked as the run's test traffic: {@code trace}'s {@code traceparent}, {@code tracestate} and
     * {@code baggage} ({@code o.trace()}), which the pipeline keeps with the event and puts back on its webhook.
     */
    public HttpResponse<String> send(String call, String writeKey, Map<String, Object> message, RunTrace trace)
            throws IOException, InterruptedException {
        return post(call, writeKey, message, trace.headers());
    }

    private HttpResponse<String> post(String call, String writeKey, Map<String, Object> message,
            Map<String, String> headers) throws IOException, InterruptedException {
        return request("POST", "/v1/" + call, writeKey, JSON.writeValueAsString(message), headers);
    }

    /** The traits identify calls set for {@code userId}, if any yet. */
    public Optional<JsonNode> profile(String writeKey, String userId) throws IOException, InterruptedException {
        HttpResponse<String> response = request("GET", "/v1/profiles/" + userId, writeKey, null);
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body()).get("traits"))
                : Optional.empty();
    }

    /** The pipeline's counters ({@code GET /stats}). */
    public JsonNode stats() throws IOException, InterruptedException {
        return JSON.readTree(expectOk(request("GET", "/stats", null, null)).body());
    }

    private HttpResponse<String> request(String method, String path, String writeKey, String body)
            throws IOException, InterruptedException {
        return request(method, path, writeKey, body, Map.of());
    }

    private HttpResponse<String> request(String method, String path, String writeKey, String body,
            Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (writeKey != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.net.ConnectException e) {
            throw new java.net.ConnectException("Cannot reach the tracking pipeline at " + url + " (" + URL_KEY
                    + "): connection refused");
        }
    }

    private static HttpResponse<String> expectOk(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}

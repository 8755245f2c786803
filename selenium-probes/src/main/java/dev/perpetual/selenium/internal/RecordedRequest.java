package dev.perpetual.selenium.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.selenium.CapturedRequest;
import org.openqa.selenium.bidi.network.BytesValue;
import org.openqa.selenium.bidi.network.FetchTimingInfo;
import org.openqa.selenium.bidi.network.Header;
import org.openqa.selenium.bidi.network.RequestData;

/**
 * One request, assembled from BiDi events that may arrive in any order. Fields are written by the BiDi event
 * thread and read by the test thread, under the owning {@link RunRecorder}'s lock.
 */
final class RecordedRequest implements CapturedRequest {

    private final String id;
    private final Function<String, String> bodyReader;
    private String method = "";
    private URI url = URI.create("about:blank");
    private Map<String, String> headers = Map.of();
    private long startedAtMillis;
    private double durationMillis = -1;
    private int status;
    private String error;
    private boolean finished;
    private String body;

    RecordedRequest(String id, Function<String, String> bodyReader) {
        this.id = id;
        this.bodyReader = bodyReader;
    }

    /** {@code network.beforeRequestSent}, {@code responseCompleted} and {@code fetchError} all carry the request. */
    void request(RequestData request, long timestamp) {
        method = request.getMethod();
        url = URI.create(request.getUrl());
        if (headers.isEmpty()) {
            headers = headers(request.getHeaders());
        }
        FetchTimingInfo timings = request.getTimings();
        startedAtMillis = timings != null && timings.getTimeOrigin() > 0 ? (long) timings.getTimeOrigin() : timestamp;
        if (timings != null && timings.getResponseEnd() > 0) {
            durationMillis = timings.getResponseEnd();
        }
    }

    void completed(int status) {
        this.status = status;
        this.finished = true;
    }

    void failed(String error, long timestamp) {
        this.error = error;
        this.finished = true;
        if (durationMillis < 0) {
            durationMillis = Math.max(0, timestamp - startedAtMillis);
        }
    }

    boolean finished() {
        return finished;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    String id() {
        return id;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public synchronized String body() {
        if (body == null) {
            body = method.equals("GET") || method.equals("HEAD") ? "" : bodyReader.apply(id);
        }
        return body;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public Instant startedAt() {
        return Instant.ofEpochMilli(startedAtMillis);
    }

    @Override
    public Duration duration() {
        return Duration.ofNanos((long) (Math.max(0, durationMillis) * 1_000_000));
    }

    /** One line of {@code network.log}. */
    String logLine() {
        String outcome = error != null ? "failed: " + error : finished ? Integer.toString(status) : "(no response)";
        return String.format(Locale.ROOT, "%s %s %s -> %s in %dms", startedAt(), method, url, outcome,
                duration().toMillis());
    }

    @Override
    public String toString() {
        return method + " " + url + (finished ? " -> " + (error != null ? error : status) : "");
    }

    private static Map<String, String> headers(List<Header> headers) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (Header header : headers) {
            byName.merge(header.getName().toLowerCase(Locale.ROOT), text(header.getValue()), (a, b) -> a.equals(b) ? a : a + ", " + b);
        }
        return Map.copyOf(byName);
    }

    private static String text(BytesValue value) {
        return text(value.getType() == BytesValue.Type.BASE64 ? "base64" : "string", value.getValue());
    }

    /** A BiDi {@code network.BytesValue}: {@code type} is {@code string} or {@code base64}. */
    static String text(String type, String value) {
        return "base64".equals(type) ? new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8) : value;
    }
}

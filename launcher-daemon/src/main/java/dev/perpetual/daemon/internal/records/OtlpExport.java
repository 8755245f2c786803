package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import io.micrometer.registry.otlp.OtlpConfig;
import org.apiguardian.api.API;

/**
 * {@code perpetual.metrics.otlp.url}: when set, the daemon also pushes every meter it serves on {@code /metrics}
 * to this OTLP/HTTP endpoint (protobuf, such as {@code http://otel-collector:4318/v1/metrics}) through Micrometer's
 * OTLP registry, every {@value #STEP_SECONDS} seconds (Micrometer's default step) and once more at shutdown. Cumulative
 * temporality; {@code service.name} is {@code perpetual-daemon} unless {@code OTEL_SERVICE_NAME} or
 * {@code OTEL_RESOURCE_ATTRIBUTES} say otherwise.
 */
@API(status = INTERNAL, since = "0.1")
public final class OtlpExport {

    static final long STEP_SECONDS = 60;
    static final String SERVICE_NAME = "perpetual-daemon";

    private OtlpExport() {
    }

    /** Adds a problem naming the key when the URL is set but not an absolute http(s) URL. */
    public static void validate(Function<String, Optional<String>> config, List<String> problems) {
        config.apply(Constants.METRICS_OTLP_URL).map(String::strip).filter(url -> !url.isEmpty()).ifPresent(url -> {
            if (!isHttpUrl(url)) {
                problems.add(String.format("Configuration error: %s [%s] is not an http or https URL; expected an "
                        + "OTLP/HTTP metrics endpoint such as http://otel-collector:4318/v1/metrics.",
                        Constants.METRICS_OTLP_URL, url));
            }
        });
    }

    /** The export configured by {@code perpetual.metrics.otlp.url}, or empty when the key is absent or blank. */
    public static Optional<OtlpConfig> from(Function<String, Optional<String>> config) {
        return config.apply(Constants.METRICS_OTLP_URL).map(String::strip).filter(url -> !url.isEmpty())
                .map(url -> config(url, Duration.ofSeconds(STEP_SECONDS)));
    }

    static OtlpConfig config(String url, Duration step) {
        return new OtlpConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public Duration step() {
                return step;
            }

            @Override
            public Map<String, String> resourceAttributes() {
                Map<String, String> attributes = new LinkedHashMap<>(OtlpConfig.super.resourceAttributes());
                attributes.putIfAbsent("service.name", SERVICE_NAME);
                return attributes;
            }
        };
    }

    static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        }
        catch (URISyntaxException e) {
            return false;
        }
    }
}

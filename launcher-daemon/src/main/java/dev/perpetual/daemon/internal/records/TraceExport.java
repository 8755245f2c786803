package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.apiguardian.api.API;

/**
 * {@code perpetual.traces.otlp.url} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} plus {@code /v1/traces}): every run record becomes a trace, exported over
 * OTLP/HTTP (protobuf) through the OpenTelemetry SDK's batch processor, off the run's thread. The root span
 * {@value #ROOT} has the run's own trace and span ids (those its requests carried) and the attributes
 * {@code perpetual.test}, {@code perpetual.run}, {@code perpetual.outcome} and {@code perpetual.location}; each step
 * is a child span of the run or of the step it is nested in; a failure is the error status with an
 * {@code exception} event.
 */
@API(status = INTERNAL, since = "0.1")
public final class TraceExport implements AutoCloseable {

    static final String ROOT = "perpetual.run";
    static final String SERVICE_NAME = "perpetual-daemon";
    private static final AttributeKey<String> TEST = AttributeKey.stringKey("perpetual.test");
    private static final AttributeKey<String> RUN = AttributeKey.stringKey("perpetual.run");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("perpetual.outcome");
    private static final AttributeKey<String> LOCATION = AttributeKey.stringKey("perpetual.location");
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    private static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final PresetIds ids = new PresetIds();
    private final String location;
    private final String endpoint;

    private TraceExport(String endpoint, String location, String serviceName) {
        this.endpoint = endpoint;
        this.location = location;
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                .setIdGenerator(ids)
                .addSpanProcessor(BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build())
                .build();
        this.tracer = provider.get("dev.perpetual.daemon");
    }

    /** The export the configuration or the environment asks for, or empty. */
    public static Optional<TraceExport> from(Function<String, Optional<String>> config,
            Function<String, String> environment, String location) {
        return endpoint(config, environment).map(url -> new TraceExport(url, location,
                Optional.ofNullable(environment.apply("OTEL_SERVICE_NAME")).filter(s -> !s.isBlank())
                        .orElse(SERVICE_NAME)));
    }

    static Optional<String> endpoint(Function<String, Optional<String>> config, Function<String, String> environment) {
        Optional<String> configured = config.apply(Constants.TRACES_OTLP_URL).map(String::strip)
                .filter(url -> !url.isEmpty());
        if (configured.isPresent()) {
            return configured;
        }
        String traces = environment.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (traces != null && !traces.isBlank()) {
            return Optional.of(traces.strip());
        }
        String general = environment.apply("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (general != null && !general.isBlank()) {
            String base = general.strip();
            return Optional.of((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces");
        }
        return Optional.empty();
    }

    /** Adds a problem naming the key when it is set but not an absolute http(s) URL. */
    public static void validate(Function<String, Optional<String>> config, List<String> problems) {
        config.apply(Constants.TRACES_OTLP_URL).map(String::strip).filter(url -> !url.isEmpty()).ifPresent(url -> {
            if (!OtlpExport.isHttpUrl(url)) {
                problems.add(String.format("Configuration error: %s [%s] is not an http or https URL; expected an "
                        + "OTLP/HTTP traces endpoint such as http://otel-collector:4318/v1/traces.",
                        Constants.TRACES_OTLP_URL, url));
            }
        });
    }

    /** Where the traces go, for the banner. */
    public String endpoint() {
        return endpoint;
    }

    /** Queues {@code record}'s spans for export; returns at once. */
    public synchronized void export(RunRecord record) {
        ids.next(record.traceId(), record.spanId());
        Span root = tracer.spanBuilder(ROOT).setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(record.start()).setAllAttributes(attributes(record)).startSpan();
        Map<String, Span> spans = new HashMap<>();
        if (record.spanId() != null) {
            spans.put(record.spanId(), root);
        }
        Map<String, RunReport.Step> steps = new HashMap<>();
        record.steps().stream().filter(step -> step.spanId() != null).forEach(step -> steps.put(step.spanId(), step));
        record.steps().stream().sorted(Comparator.comparing(RunReport.Step::start))
                .forEach(step -> span(step, root, spans, steps));
        if (record.outcome() == Outcome.FAIL || record.outcome() == Outcome.ERROR
                || record.outcome() == Outcome.TIMEOUT) {
            root.setStatus(StatusCode.ERROR, record.oneLineMessage());
            root.addEvent("exception", exception(record));
        }
        root.end(record.start().plus(record.duration()));
    }

    /** Starts (once) the span of {@code step}, its parent's first. Steps end when the export ends them. */
    private Span span(RunReport.Step step, Span root, Map<String, Span> spans, Map<String, RunReport.Step> steps) {
        Span known = step.spanId() == null ? null : spans.get(step.spanId());
        if (known != null) {
            return known;
        }
        Span parent = root;
        if (step.parentSpanId() != null) {
            Span started = spans.get(step.parentSpanId());
            RunReport.Step parentStep = steps.get(step.parentSpanId());
            parent = started != null ? started : parentStep != null ? span(parentStep, root, spans, steps) : root;
        }
        ids.next(null, step.spanId());
        Span span = tracer.spanBuilder(step.name()).setParent(Context.root().with(parent))
                .setStartTimestamp(step.start()).setAttribute(OUTCOME, step.outcome().label()).startSpan();
        if (step.outcome() == Outcome.FAIL || step.outcome() == Outcome.ERROR) {
            span.setStatus(StatusCode.ERROR);
        }
        // Ended now with its own end time: a span keeps the end timestamp it is given.
        span.end(step.start().plus(step.duration()));
        spans.put(step.spanId() == null ? "step-" + spans.size() : step.spanId(), span);
        return span;
    }

    private Attributes attributes(RunRecord record) {
        AttributesBuilder attributes = Attributes.builder().put(TEST, record.test()).put(RUN, record.runId())
                .put(OUTCOME, record.outcome().label());
        if (location != null) {
            attributes.put(LOCATION, location);
        }
        return attributes.build();
    }

    private static Attributes exception(RunRecord record) {
        AttributesBuilder attributes = Attributes.builder().put(EXCEPTION_MESSAGE, record.oneLineMessage());
        if (record.stack() != null) {
            attributes.put(EXCEPTION_STACKTRACE, record.stack());
            String first = record.stack().lines().findFirst().orElse("");
            int colon = first.indexOf(':');
            String type = (colon < 0 ? first : first.substring(0, colon)).strip();
            if (!type.isEmpty() && !type.contains(" ")) {
                attributes.put(EXCEPTION_TYPE, type);
            }
        }
        return attributes.build();
    }

    /** Exports what is queued and stops, waiting at most 10 seconds. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}

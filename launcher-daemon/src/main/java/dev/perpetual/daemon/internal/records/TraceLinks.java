package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import org.apiguardian.api.API;

/**
 * {@code perpetual.traces.url-template}: where a run's trace is shown, {@value #PLACEHOLDER} replaced by its trace id,
 * for the run page and the status page's failure line.
 *
 * @param template the template, or null: no links
 */
@API(status = INTERNAL, since = "0.1")
public record TraceLinks(String template) {

    /** The placeholder for the trace id: {@value}. */
    public static final String PLACEHOLDER = "{traceId}";

    /** No template: no links. */
    public static final TraceLinks NONE = new TraceLinks(null);

    public static TraceLinks from(Function<String, Optional<String>> config) {
        return config.apply(Constants.TRACES_URL_TEMPLATE).map(String::strip).filter(value -> !value.isEmpty())
                .map(TraceLinks::new).orElse(NONE);
    }

    /** Adds a problem naming the key when the template is set but not an http(s) URL with the placeholder. */
    public static void validate(Function<String, Optional<String>> config, List<String> problems) {
        String template = from(config).template();
        if (template != null && (!template.contains(PLACEHOLDER)
                || !OtlpExport.isHttpUrl(template.replace(PLACEHOLDER, "0")))) {
            problems.add(String.format("Configuration error: %s [%s] is not an http or https URL holding %s; expected "
                    + "a link such as https://grafana.example/explore?traceId=%s.", Constants.TRACES_URL_TEMPLATE,
                    template, PLACEHOLDER, PLACEHOLDER));
        }
    }

    /** The link to the trace {@code traceId}, or null without a template or a trace. */
    public String url(String traceId) {
        return template == null || traceId == null ? null : template.replace(PLACEHOLDER, traceId);
    }
}

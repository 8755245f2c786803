package dev.perpetual.samples.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.Headers;

/**
 * The W3C trace context a Tracking API call came with ({@code traceparent}, {@code tracestate}, {@code baggage}),
 * kept with its event as SLATE keeps the baggage in a Kafka event's headers, and put back on every delivery the event
 * causes: a webhook from this pipeline belongs to the request that caused it, and test traffic stays test traffic.
 * {@code tenancy} is what {@link Tenancies} read from the baggage: every count the event causes is labelled with it.
 */
record EventContext(Map<String, String> headers, String tenancy) {

    private static final String[] NAMES = { "traceparent", "tracestate", "baggage" };

    static EventContext of(Headers request, Tenancies tenancies) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = request.getFirst(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        return new EventContext(Map.copyOf(kept), tenancies.of(request));
    }
}

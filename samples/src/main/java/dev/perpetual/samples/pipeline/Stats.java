package dev.perpetual.samples.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the pipeline did, counted per tenancy ({@link Tenancies}) in Micrometer counters: each with its
 * {@code tenancy} label at {@code GET /metrics}, summed over the tenancies at {@code GET /stats}.
 *
 * <pre>
 * pipeline_events_total{result="accepted|duplicate|rejected", tenancy}    Tracking API messages
 * pipeline_events_processed_total{tenancy}
 * pipeline_deliveries_total{result="delivered|failed|dropped", tenancy}  one event to one destination, at its end
 * pipeline_delivery_attempts_total{tenancy}
 * pipeline_delivery_retries_total{tenancy}
 * </pre>
 */
final class Stats {

    /** One thing the pipeline counts: its key at {@code /stats}, its meter and its {@code result} label, if any. */
    enum Count {
        ACCEPTED("accepted", Meter.EVENTS, "accepted"),
        REJECTED("rejected", Meter.EVENTS, "rejected"),
        DUPLICATES("duplicates", Meter.EVENTS, "duplicate"),
        PROCESSED("processed", Meter.PROCESSED, null),
        DELIVERED("delivered", Meter.DELIVERIES, "delivered"),
        DELIVERY_ATTEMPTS("deliveryAttempts", Meter.ATTEMPTS, null),
        RETRIES("retries", Meter.RETRIES, null),
        DROPPED("dropped", Meter.DELIVERIES, "dropped"),
        FAILED("failed", Meter.DELIVERIES, "failed");

        private final String key;
        private final Meter meter;
        private final String result;

        Count(String key, Meter meter, String result) {
            this.key = key;
            this.meter = meter;
            this.result = result;
        }
    }

    /** The pipeline's meters, one description each. */
    private enum Meter {
        EVENTS("pipeline.events", "Messages the Tracking API received, by what became of them"),
        PROCESSED("pipeline.events.processed", "Messages processed and handed to delivery"),
        DELIVERIES("pipeline.deliveries", "Deliveries of an event to one webhook destination, by how they ended"),
        ATTEMPTS("pipeline.delivery.attempts", "Webhook delivery attempts, retries included"),
        RETRIES("pipeline.delivery.retries", "Webhook delivery attempts retried after a 5xx, a timeout or no answer");

        private final String name;
        private final String description;

        Meter(String name, String description) {
            this.name = name;
            this.description = description;
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Every counter exists from the start for each of {@code tenancies}' labels, so that a rate is 0, not absent. */
    Stats(Tenancies tenancies) {
        for (Count count : Count.values()) {
            tenancies.labels().forEach(tenancy -> counter(count, tenancy));
        }
    }

    /** Counts one {@code count} of traffic of {@code tenancy}. */
    void count(Count count, String tenancy) {
        counter(count, tenancy).increment();
    }

    private Counter counter(Count count, String tenancy) {
        Counter.Builder builder = Counter.builder(count.meter.name).description(count.meter.description)
                .tag("tenancy", tenancy);
        if (count.result != null) {
            builder.tag("result", count.result);
        }
        return builder.register(registry);
    }

    /** Every count summed over the tenancies, for {@code GET /stats}. */
    Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Count count : Count.values()) {
            var search = registry.find(count.meter.name);
            if (count.result != null) {
                search = search.tag("result", count.result);
            }
            values.put(count.key, (long) search.counters().stream().mapToDouble(Counter::count).sum());
        }
        return values;
    }

    /** The Prometheus text exposition of every counter, for {@code GET /metrics}. */
    String scrape() {
        return registry.scrape();
    }
}

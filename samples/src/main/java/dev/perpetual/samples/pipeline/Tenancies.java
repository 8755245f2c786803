package dev.perpetual.samples.pipeline;

import java.util.Set;
import java.util.TreeSet;

import com.sun.net.httpserver.Headers;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * Which tenancy a request belongs to, as a tenancy-aware service tells: the {@code perpetual.tenancy} entry of the
 * request's W3C {@code baggage}, read by OpenTelemetry's {@link W3CBaggagePropagator}. No entry is a customer's
 * request, and so is a tenancy this service does not know: its metric label stays bounded, and a mistaken or forged
 * tenancy cannot hide a customer's errors from the service's alerts.
 */
final class Tenancies {

    /** The tenancy of every request that does not name a known one. */
    static final String CUSTOMER = "customer";
    /** The baggage entry Perpetual's runs carry ({@code dev.perpetual.RunTrace.TENANCY_ENTRY}). */
    static final String BAGGAGE_ENTRY = "perpetual.tenancy";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {

        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.getFirst(key);
        }
    };

    private final Set<String> known;

    /** {@code known}: the test tenancies this service labels as such, such as {@code test}. */
    Tenancies(Set<String> known) {
        if (known.contains(CUSTOMER)) {
            throw new IllegalArgumentException("'" + CUSTOMER + "' is every request without a test tenancy; "
                    + "name test tenancies only, not " + known);
        }
        this.known = Set.copyOf(known);
    }

    /** The tenancy of a request with these headers: a known one from its baggage, else {@link #CUSTOMER}. */
    String of(Headers request) {
        Baggage baggage = Baggage.fromContext(W3CBaggagePropagator.getInstance().extract(Context.root(), request,
                HEADERS));
        String tenancy = baggage.getEntryValue(BAGGAGE_ENTRY);
        return tenancy != null && known.contains(tenancy) ? tenancy : CUSTOMER;
    }

    /** Every value the tenancy label can take, sorted. */
    Set<String> labels() {
        Set<String> labels = new TreeSet<>(known);
        labels.add(CUSTOMER);
        return labels;
    }
}

package dev.perpetual.selenium.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.perpetual.RunTrace;

/**
 * Which of one run's browser requests carry the run's {@code traceparent}, {@code tracestate} and {@code baggage}:
 * those to the configured origins or, by default, to the origin of the first page the run opens. Called from the
 * browser's event threads, so thread-safe.
 */
final class RunMarks {

    private static final Set<String> TRACE_HEADERS = Set.of(RunTrace.TRACEPARENT, RunTrace.TRACESTATE,
            RunTrace.BAGGAGE);

    private final RunTrace trace;
    private final BrowserOrigins origins;
    private final Set<Origin> marked = ConcurrentHashMap.newKeySet();
    private boolean firstPageSeen;

    RunMarks(RunTrace trace, BrowserOrigins origins) {
        this.trace = trace;
        this.origins = origins;
        marked.addAll(origins.listed());
    }

    /**
     * Marks {@code origin} too when the origins are the first page's (the key unset): the collector an
     * {@code AnalyticsProbe} page sends its beacons to. Configured origins stay as configured. Whether it was added.
     */
    boolean alsoMark(Origin origin) {
        return origins.firstPage() && marked.add(origin);
    }

    /**
     * The headers a request to {@code url} leaves with: {@code own}, its trace headers replaced by the run's, when
     * the URL's origin is marked; else empty, and it leaves as it is.
     *
     * @param pageNavigation whether the request loads a page into the run's tab (not into a frame): the first such
     *         http(s) request names the origin marked by default
     */
    Optional<Map<String, String>> headers(String url, Map<String, String> own, boolean pageNavigation) {
        Optional<Origin> origin = Origin.of(url);
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        if (pageNavigation && origins.firstPage()) {
            synchronized (this) {
                if (!firstPageSeen) {
                    firstPageSeen = true;
                    marked.add(origin.get());
                }
            }
        }
        return marked.contains(origin.get()) ? Optional.of(withTrace(own)) : Optional.empty();
    }

    /** The origins marked so far: the configured ones, or the first page's and those {@link #alsoMark} added. */
    Set<Origin> marked() {
        return Set.copyOf(marked);
    }

    /** {@code own} without any trace header of its own, then the run's three. */
    Map<String, String> withTrace(Map<String, String> own) {
        Map<String, String> headers = new LinkedHashMap<>();
        own.forEach((name, value) -> {
            if (!TRACE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, value);
            }
        });
        headers.putAll(trace.headers());
        return headers;
    }
}

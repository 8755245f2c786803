package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.perpetual.internal.trace.W3cRunTrace;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunMarksTest {

    private final W3cRunTrace trace = W3cRunTrace.start("test", "Shop.checkout", "run-1");
    private final Map<String, String> own = new LinkedHashMap<>(Map.of("Accept", "*/*", "Cookie", "session=1"));

    @Test
    @DisplayName("by default the origin of the run's first page navigation is marked, and only it")
    void firstPageNavigationNamesTheOrigin() {
        RunMarks marks = new RunMarks(trace, BrowserOrigins.FIRST_PAGE);

        assertThat(marks.headers("https://cdn.example.com/app.js", own, false)).isEmpty();
        assertThat(marks.headers("https://shop.example.com/", own, true)).isPresent();
        assertThat(marks.headers("https://shop.example.com:443/api/cart", own, false)).isPresent();
        assertThat(marks.headers("https://login.example.com/", own, true)).isEmpty();
        assertThat(marks.headers("http://shop.example.com/", own, false)).as("another scheme").isEmpty();
    }

    @Test
    @DisplayName("a marked request keeps its own headers, the page's own trace headers replaced by the run's")
    void ownHeadersKeptTraceHeadersReplaced() {
        own.put("TraceParent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        RunMarks marks = new RunMarks(trace, BrowserOrigins.FIRST_PAGE);

        assertThat(marks.headers("https://shop.example.com/", own, true)).contains(Map.of("Accept", "*/*",
                "Cookie", "session=1", "traceparent", trace.traceparent(), "tracestate", "perpetual=test",
                "baggage", trace.baggage()));
    }

    @Test
    @DisplayName("configured origins are marked from the first request, and an AnalyticsProbe's collector is added "
            + "only to the default")
    void configuredOriginsStayAsConfigured() {
        BrowserOrigins configured = new BrowserOrigins(List.of(new Origin("https", "shop.example.com", 443)), false);
        RunMarks marks = new RunMarks(trace, configured);
        marks.alsoMark(new Origin("https", "api.segment.io", 443));

        assertThat(marks.headers("https://shop.example.com/api", own, false)).isPresent();
        assertThat(marks.headers("https://api.segment.io/v1/t", own, false)).isEmpty();

        RunMarks byDefault = new RunMarks(trace, BrowserOrigins.FIRST_PAGE);
        byDefault.alsoMark(new Origin("https", "api.segment.io", 443));
        assertThat(byDefault.headers("https://api.segment.io/v1/t", own, false)).isPresent();
    }
}

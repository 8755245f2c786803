package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.perpetual.internal.trace.W3cRunTrace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real headless Chromium's tab interception, through the pool, with the probe page's real server. */
class MarkedTabTest {

    @TempDir
    Path temp;

    @Test
    @DisplayName("by default every request of a fresh tab is paused until the first page names its origin; then "
            + "only that origin's are, and the page's beacon still carries the run's headers; an AnalyticsProbe "
            + "collector on another origin is added before its page opens, and its beacon is marked too, while that "
            + "page's own origin is not")
    void firstPageNarrowsThePausedRequestsToItsOrigin() {
        try (BrowserPool pool = BrowserPool.create(BrowserSettings.from(key -> Optional.empty()),
                new TempRoot(temp.resolve("root")));
                AnalyticsServer server = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()));
                AnalyticsServer otherPages = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()));
                AnalyticsServer collector = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()))) {
            String runId = UUID.randomUUID().toString();
            W3cRunTrace trace = W3cRunTrace.start("test", "MarkedTabTest.run", runId);
            try (BrowserRun run = pool.open(new RunIdentity("MarkedTabTest.run", runId, new SimpleMeterRegistry(),
                    () -> Duration.ofSeconds(30), trace), Duration.ofSeconds(30))) {
                MarkedTab tab = run.interception().orElseThrow();
                assertThat(tab.pausing()).as("before any page").isEmpty();

                var beacon = new LocalAnalyticsProbe(server, run).open().track("Narrowed", Map.of("n", 1));

                Origin page = Origin.of(server.baseUrl()).orElseThrow();
                assertThat(tab.pausing()).isEqualTo(Set.of(page));
                assertThat(beacon.request().headers()).containsAllEntriesOf(trace.headers());

                // A page on an origin not marked, whose beacon goes to a third: only widening pauses the beacon.
                var elsewhere = new LocalAnalyticsProbe(otherPages, run).open(collector.baseUrl(), "key")
                        .track("Widened", Map.of("n", 2));

                assertThat(tab.pausing()).isEqualTo(Set.of(page, Origin.of(collector.baseUrl()).orElseThrow()));
                assertThat(elsewhere.request().url().getPort()).isEqualTo(collector.baseUrl().getPort());
                assertThat(elsewhere.request().headers()).containsAllEntriesOf(trace.headers());
                assertThat(run.recorder().requests()).filteredOn(request -> request.url().getPort()
                        == otherPages.baseUrl().getPort()).isNotEmpty().allSatisfy(request -> assertThat(
                                request.headers()).doesNotContainKey("traceparent"));
            }
        }
    }
}

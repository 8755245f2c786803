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
            + "only that origin's are, and the page's beacon still carries the run's headers")
    void firstPageNarrowsThePausedRequestsToItsOrigin() {
        try (BrowserPool pool = BrowserPool.create(BrowserSettings.from(key -> Optional.empty()),
                new TempRoot(temp.resolve("root")));
                AnalyticsServer server = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()))) {
            String runId = UUID.randomUUID().toString();
            W3cRunTrace trace = W3cRunTrace.start("test", "MarkedTabTest.run", runId);
            try (BrowserRun run = pool.open(new RunIdentity("MarkedTabTest.run", runId, new SimpleMeterRegistry(),
                    () -> Duration.ofSeconds(30), trace), Duration.ofSeconds(30))) {
                MarkedTab tab = run.interception().orElseThrow();
                assertThat(tab.pausing()).as("before any page").isEmpty();

                var beacon = new LocalAnalyticsProbe(server, run).open().track("Narrowed", Map.of("n", 1));

                assertThat(tab.pausing()).isEqualTo(Set.of(Origin.of(server.baseUrl()).orElseThrow()));
                assertThat(beacon.request().headers()).containsAllEntriesOf(trace.headers());
            }
        }
    }
}

package dev.perpetual.daemon.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class WriteBehindTest {

    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private WriteBehind writeBehind() {
        return new WriteBehind(1_000, records -> batches.add(records.stream().map(RunRecord::runId).toList()),
                new SimpleMeterRegistry(), warnings::add, Duration.ofSeconds(5));
    }

    @Test
    void runsRecordedCloseTogetherAreWrittenInOneBatch() {
        try (WriteBehind writer = writeBehind()) {
            for (int i = 0; i < 5; i++) {
                writer.offer(record("r-" + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> batches.stream().mapToInt(List::size).sum() == 5);
            assertThat(batches).containsExactly(List.of("r-0", "r-1", "r-2", "r-3", "r-4"));
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aLoneRunIsWrittenOnceTheBatchHasWaitedItsLinger() {
        try (WriteBehind writer = writeBehind()) {
            long start = System.nanoTime();
            writer.offer(record("r-alone"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !batches.isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(WriteBehind.LINGER_MILLIS));
            assertThat(batches).containsExactly(List.of("r-alone"));
        }
    }

    @Test
    void closingWritesWhatIsQueuedWithoutLingering() {
        WriteBehind writer = writeBehind();
        writer.offer(record("r-last"));
        writer.close();

        assertThat(batches).containsExactly(List.of("r-last"));
        assertThat(warnings).isEmpty();
    }

    private static RunRecord record(String runId) {
        return Records.of("T.t", runId, Instant.parse("2026-12-04T10:00:00Z"), Outcome.PASS, Duration.ofMillis(1));
    }
}

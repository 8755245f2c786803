package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

    @Test
    void aTestsHistoryIsBoundedInBytesOldestFirstAndKeepsItsLatestRunAndLastFailure() {
        RunHistory history = new RunHistory(1 << 20);
        history.add(record("failed", Outcome.FAIL, 1000));
        for (int i = 0; i < 10; i++) {
            history.add(record("loud-" + i, Outcome.PASS, 100 * 1024)); // about 200 KiB each on the heap: 5 fit in 1 MiB
        }

        List<RunRecord> kept = history.newestFirst();
        assertThat(kept).extracting(RunRecord::runId).containsExactly("loud-9", "loud-8", "loud-7", "loud-6", "loud-5");
        assertThat(kept.stream().mapToLong(RunHistory::bytes).sum()).isLessThanOrEqualTo(1 << 20);
        assertThat(history.runs()).isEqualTo(11);
        assertThat(history.find("failed")).as("the last failure outlives the ring").isNotNull();
        assertThat(history.find("loud-7")).isNotNull();
        assertThat(history.find("loud-2")).isNull();

        history.add(record("huge", Outcome.PASS, 4 << 20));
        assertThat(history.newestFirst()).extracting(RunRecord::runId).as("the latest run stays, whatever its size")
                .containsExactly("huge");
    }

    @Test
    void whatIsKeptChangesItsCountWheneverARecordComesInAndOnlyThen() {
        RunHistory history = new RunHistory(1 << 20);
        RunHistory.Kept empty = history.kept();
        assertThat(history.kept().changes()).isEqualTo(empty.changes());

        history.add(record("a", Outcome.PASS, 10));
        RunHistory.Kept one = history.kept();
        assertThat(one.changes()).isGreaterThan(empty.changes());
        assertThat(one.newestFirst()).extracting(RunRecord::runId).containsExactly("a");
        assertThat(history.kept().changes()).as("read again, unchanged").isEqualTo(one.changes());

        history.restore(record("b", Outcome.PASS, 10));
        long restored = history.kept().changes();
        assertThat(restored).isGreaterThan(one.changes());
        assertThat(history.merge(record("a", Outcome.PASS, 10))).as("already kept").isFalse();
        assertThat(history.kept().changes()).isEqualTo(restored);
    }

    @Test
    void aBadLimitIsAProblemNamingTheKeyTheValueAndTheForms() {
        List<String> problems = new ArrayList<>();
        assertThat(RunHistory.maxBytes(key -> java.util.Optional.of("lots"), problems))
                .isEqualTo(RunHistory.MAX_BYTES_DEFAULT);
        assertThat(problems).singleElement().asString().startsWith("Configuration parameter "
                + "'perpetual.history.max-bytes' has an invalid value [lots]: use a size in bytes such as 65536");
        Map<String, String> config = Map.of("perpetual.history.max-bytes", "2MiB");
        assertThat(RunHistory.maxBytes(key -> java.util.Optional.ofNullable(config.get(key)), problems))
                .isEqualTo(2 << 20);
    }

    @Test
    void anotherReplicasRunsGoInStartOrderOnceWithoutCountingAsThisDaemonsRuns() {
        RunHistory history = new RunHistory();
        Instant t = Instant.parse("2026-12-04T02:00:00Z");
        history.add(at("eu-1", t, Outcome.PASS));
        history.add(at("eu-2", t.plusSeconds(2), Outcome.PASS));
        RunRecord late = at("us-1", t.plusSeconds(1), Outcome.FAIL).at("us-east");

        assertThat(history.merge(late)).isTrue();
        assertThat(history.merge(late)).isFalse();
        assertThat(history.merge(at("us-2", t.plusSeconds(3), Outcome.PASS).at("us-east"))).isTrue();

        assertThat(history.newestFirst()).extracting(RunRecord::runId).containsExactly("us-2", "eu-2", "us-1", "eu-1");
        assertThat(history.lastFailure()).isEqualTo(late);
        assertThat(history.runs()).isEqualTo(2);
    }

    private static RunRecord at(String runId, Instant start, Outcome outcome) {
        return new RunRecord("T.t", "T", runId, null, start, Duration.ofMillis(5), outcome, 1, null, null, List.of(),
                0, List.of(), List.of(), false, null, null);
    }

    private static RunRecord record(String runId, Outcome outcome, int logChars) {
        return new RunRecord("T.t", "T", runId, null, Instant.now(), Duration.ofMillis(5), outcome, 1, null, null,
                List.of("x".repeat(logChars)), 0, Collections.emptyList(), Collections.emptyList(), false, null,
                null);
    }
}

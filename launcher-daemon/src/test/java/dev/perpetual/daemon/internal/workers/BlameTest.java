package dev.perpetual.daemon.internal.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BlameTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final String HALTS = "HaltE2E.halts";
    private static final String NAPS = "NapE2E.naps";
    private static final String OTHER = "OtherE2E.other";

    private final Blame blame = new Blame(3);

    @Test
    void aHaltWithSeveralSuspectsAndNoneProvenCountsAgainstEachAndTheThirdWithinAnHourReachesTheThreshold() {
        assertThat(blame.incident(T0, List.of(HALTS, NAPS), null).counted()).containsExactly(HALTS, NAPS);
        blame.incident(T0.plusSeconds(1), List.of(HALTS, NAPS), null);
        Blame.Verdict third = blame.incident(T0.plusSeconds(2), List.of(HALTS, NAPS), null);

        assertThat(third.reached()).containsExactly(HALTS, NAPS);
        assertThat(third.cleared()).isEmpty();
        assertThat(blame.proven(HALTS)).isFalse();
        assertThat(blame.proven(NAPS)).isFalse();
    }

    @Test
    void anIncidentWithACulpritProvesItAndCountsAgainstItOnly() {
        Blame.Verdict exit = blame.incident(T0, List.of(HALTS, NAPS), HALTS); // System.exit called from HaltE2E

        assertThat(exit.counted()).containsExactly(HALTS);
        assertThat(blame.proven(HALTS)).isTrue();
        assertThat(blame.count(NAPS, T0)).isZero();
    }

    @Test
    void aHaltBesideATestProvenWithinTheHourCountsAgainstTheProvenTestOnly() {
        blame.incident(T0, List.of(HALTS), HALTS); // it held HaltE2E's run only

        for (int i = 1; i <= 3; i++) {
            assertThat(blame.incident(T0.plusSeconds(i), List.of(HALTS, NAPS), null).counted())
                    .as("known offenders first").containsExactly(HALTS);
        }
        assertThat(blame.count(NAPS, T0.plusSeconds(3))).isZero();
        assertThat(blame.count(HALTS, T0.plusSeconds(3))).isEqualTo(4);
    }

    @Test
    void aTestProvenMoreThanAnHourAgoIsNoKnownOffender() {
        blame.incident(T0, List.of(HALTS), HALTS);

        Instant later = T0.plus(Duration.ofMinutes(61));
        assertThat(blame.incident(later, List.of(HALTS, NAPS), null).counted()).containsExactly(HALTS, NAPS);
        assertThat(blame.count(HALTS, later)).as("the old incident left the window").isEqualTo(1);
        assertThat(blame.proven(HALTS)).as("proven ever").isTrue();
    }

    @Test
    void whenATestIsProvenTheIncidentsItSharedAreWithdrawnFromItsCoSuspects() {
        for (int i = 0; i < 3; i++) {
            blame.incident(T0.plusSeconds(i), List.of(HALTS, NAPS), null);
        }

        Blame.Verdict alone = blame.incident(T0.plusSeconds(10), List.of(HALTS), HALTS); // alone in its own worker
        assertThat(alone.counted()).containsExactly(HALTS);
        assertThat(alone.cleared()).isEqualTo(Map.of(NAPS, 3));
        assertThat(blame.count(NAPS, T0.plusSeconds(10))).isZero();
        assertThat(blame.count(HALTS, T0.plusSeconds(10))).isEqualTo(4);
    }

    @Test
    void aCoSuspectStillAtTheThresholdWithoutTheWithdrawnIncidentsIsNotCleared() {
        blame.incident(T0, List.of(HALTS, NAPS), null);
        for (int i = 1; i <= 3; i++) {
            blame.incident(T0.plusSeconds(i), List.of(OTHER, NAPS), null);
        }

        Blame.Verdict alone = blame.incident(T0.plusSeconds(10), List.of(HALTS), HALTS);
        assertThat(alone.cleared()).isEmpty();
        assertThat(blame.count(NAPS, T0.plusSeconds(10))).as("three shared with OtherE2E remain").isEqualTo(3);
    }

    @Test
    void aCoSuspectBelowTheThresholdAfterTheWithdrawalIsClearedWhateverItsOtherSharedIncidents() {
        blame.incident(T0, List.of(HALTS, NAPS), null);
        blame.incident(T0.plusSeconds(1), List.of(OTHER, NAPS), null);
        blame.incident(T0.plusSeconds(2), List.of(OTHER, NAPS), null);

        assertThat(blame.incident(T0.plusSeconds(10), List.of(HALTS), HALTS).cleared())
                .isEqualTo(Map.of(NAPS, 1));
        assertThat(blame.count(NAPS, T0.plusSeconds(10))).isEqualTo(2);
    }

    @Test
    void aCoSuspectProvenWithinTheHourKeepsTheSharedIncidentAndAProvenOneIsNeverCleared() {
        blame.incident(T0, List.of(NAPS), NAPS);
        blame.incident(T0.plusSeconds(1), List.of(HALTS), HALTS);
        blame.incident(T0.plusSeconds(2), List.of(HALTS, NAPS), null);

        Blame.Verdict again = blame.incident(T0.plusSeconds(3), List.of(HALTS), HALTS);
        assertThat(again.cleared()).isEmpty();
        assertThat(blame.count(NAPS, T0.plusSeconds(3))).as("its own, and the one it shared, both proven")
                .isEqualTo(2);

        Blame old = new Blame(3);
        old.incident(T0, List.of(NAPS), NAPS);
        Instant later = T0.plus(Duration.ofMinutes(90));
        for (int i = 0; i < 3; i++) {
            old.incident(later.plusSeconds(i), List.of(HALTS, NAPS), null);
        }
        assertThat(old.incident(later.plusSeconds(10), List.of(HALTS), HALTS).cleared())
                .as("proven once, it stays where it is").isEmpty();
        assertThat(old.count(NAPS, later.plusSeconds(10))).isZero();
    }

    @Test
    void incidentsOlderThanAnHourNeitherCountNorAreWithdrawn() {
        blame.incident(T0, List.of(HALTS, NAPS), null);
        blame.incident(T0.plusSeconds(10), List.of(HALTS, NAPS), null);

        Instant later = T0.plus(Duration.ofMinutes(61));
        assertThat(blame.incident(later, List.of(HALTS, NAPS), null).reached()).isEmpty();
        assertThat(blame.incident(later.plusSeconds(1), List.of(HALTS), HALTS).cleared())
                .as("only the one within the hour").isEqualTo(Map.of(NAPS, 1));
    }

    @Test
    void aWorkerThatHeldNoRunCountsAgainstNobody() {
        Blame.Verdict none = blame.incident(T0, List.of(), null);

        assertThat(none.counted()).isEmpty();
        assertThat(none.reached()).isEmpty();
    }
}

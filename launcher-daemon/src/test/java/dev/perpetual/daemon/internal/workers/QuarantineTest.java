package dev.perpetual.daemon.internal.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class QuarantineTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void threeIncidentsWithinAnHourIsolateTheTestAndEachFurtherOneBacksItsCadenceOffUntilAPass() {
        Quarantine quarantine = new Quarantine();
        assertThat(quarantine.incident(T0, 3, true)).isFalse();
        assertThat(quarantine.incident(T0.plusSeconds(60), 3, true)).isFalse();
        assertThat(quarantine.incident(T0.plusSeconds(120), 3, true)).as("isolated by the third").isTrue();
        assertThat(quarantine.backingOff(T0.plusSeconds(121))).isFalse();

        assertThat(quarantine.incident(T0.plusSeconds(200), 3, true)).isFalse();
        assertThat(quarantine.backingOff(T0.plusSeconds(229))).as("30s after the first incident alone").isTrue();
        assertThat(quarantine.backingOff(T0.plusSeconds(231))).isFalse();
        quarantine.incident(T0.plusSeconds(300), 3, true);
        assertThat(quarantine.backingOff(T0.plusSeconds(359))).as("then 60s").isTrue();
        quarantine.passed();
        assertThat(quarantine.backingOff(T0.plusSeconds(301))).as("a pass ends the back-off").isFalse();
    }

    @Test
    void incidentsOlderThanAnHourDoNotCount() {
        Quarantine quarantine = new Quarantine();
        quarantine.incident(T0, 3, true);
        quarantine.incident(T0.plusSeconds(10), 3, true);
        assertThat(quarantine.incident(T0.plus(Duration.ofMinutes(61)), 3, true)).isFalse();
        assertThat(quarantine.isolated).isFalse();
    }

    @Test
    void aTestIsolatedOnlyBesideOthersGoesBackAfterAnHourAloneWithoutAnIncident() {
        Quarantine neighbour = new Quarantine();
        for (int i = 0; i < 3; i++) {
            neighbour.incident(T0.plusSeconds(i), 3, false); // a halt while it and the culprit both ran
        }
        assertThat(neighbour.isolated).isTrue();
        assertThat(neighbour.release(T0.plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(neighbour.release(T0.plus(Duration.ofMinutes(61)))).isTrue();
        assertThat(neighbour.isolated).isFalse();

        Quarantine culprit = new Quarantine();
        for (int i = 0; i < 3; i++) {
            culprit.incident(T0.plusSeconds(i), 3, false);
        }
        culprit.incident(T0.plusSeconds(100), 3, true); // alone in its own worker, it halted it again
        assertThat(culprit.release(T0.plus(Duration.ofHours(5)))).as("proven: it stays").isFalse();
        assertThat(culprit.isolated).isTrue();
    }
}

package dev.perpetual.daemon.internal.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class QuarantineTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void reachingTheThresholdIsolatesTheTestAndEachFurtherIncidentBacksItsCadenceOffUntilAPass() {
        Quarantine quarantine = new Quarantine();
        assertThat(quarantine.incident(T0, false)).isFalse();
        assertThat(quarantine.incident(T0.plusSeconds(60), false)).isFalse();
        assertThat(quarantine.incident(T0.plusSeconds(120), true)).as("isolated at the threshold").isTrue();
        assertThat(quarantine.backingOff(T0.plusSeconds(121))).isFalse();

        assertThat(quarantine.incident(T0.plusSeconds(200), true)).isFalse();
        assertThat(quarantine.backingOff(T0.plusSeconds(229))).as("30s after the first incident alone").isTrue();
        assertThat(quarantine.backingOff(T0.plusSeconds(231))).isFalse();
        quarantine.incident(T0.plusSeconds(300), true);
        assertThat(quarantine.backingOff(T0.plusSeconds(359))).as("then 60s").isTrue();
        quarantine.passed();
        assertThat(quarantine.backingOff(T0.plusSeconds(301))).as("a pass ends the back-off").isFalse();
    }

    @Test
    void anIsolatedTestGoesBackAfterAnHourAloneWithoutAnIncident() {
        Quarantine quarantine = new Quarantine();
        quarantine.incident(T0, true);

        assertThat(quarantine.release(T0.plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(quarantine.release(T0.plus(Duration.ofMinutes(61)))).isTrue();
        assertThat(quarantine.isolated).isFalse();
        assertThat(quarantine.release(T0.plus(Duration.ofMinutes(62)))).as("once").isFalse();
    }

    @Test
    void releasingNowEndsTheIsolationAndTheBackOff() {
        Quarantine quarantine = new Quarantine();
        quarantine.incident(T0, true);
        quarantine.incident(T0.plusSeconds(1), true);
        assertThat(quarantine.backingOff(T0.plusSeconds(2))).isTrue();

        assertThat(quarantine.releaseNow()).isTrue();
        assertThat(quarantine.isolated).isFalse();
        assertThat(quarantine.backingOff(T0.plusSeconds(2))).isFalse();
        assertThat(quarantine.releaseNow()).as("not isolated: nothing to release").isFalse();
    }
}

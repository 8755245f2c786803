package dev.perpetual.daemon.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** A restarted daemon's first run of a test: its next slot after its last recorded start. */
class RestartSafeScheduleTest {

    private static final Instant LAST = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aRestartWithinThePeriodWaitsForTheNextSlotNotLonger() {
        assertThat(Scheduler.untilNextSlot(LAST.plusSeconds(20), LAST, Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(40).toNanos());
    }

    @Test
    void aRestartAfterSeveralMissedSlotsRunsAtTheNextOneNotAtOnce() {
        assertThat(Scheduler.untilNextSlot(LAST.plusSeconds(150), LAST, Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void aChangedPeriodCountsFromTheLastStartOnTheNewCadence() {
        assertThat(Scheduler.untilNextSlot(LAST.plusSeconds(20), LAST, Duration.ofSeconds(15)))
                .isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(Scheduler.untilNextSlot(LAST.plusSeconds(20), LAST, Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofSeconds(280).toNanos());
    }

    @Test
    void aLastStartInTheFutureAClockStepWaitsOnePeriod() {
        assertThat(Scheduler.untilNextSlot(LAST.minusSeconds(5), LAST, Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofMinutes(1).toNanos());
    }
}

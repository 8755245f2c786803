package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Test;

class RollupsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:30:00Z");
    private static final long HOUR = Rollups.hour(NOW);

    private final Rollups rollups = new Rollups();

    @Test
    void uptimeCountsTheClosedHoursOfEachWindowAndTheCurrentOne() {
        rollups.count("t", HOUR, Outcome.PASS, 10);
        rollups.count("t", HOUR - 3_600, Outcome.FAIL, 10);
        rollups.count("t", HOUR - 2 * 86_400, Outcome.PASS, 20);
        rollups.count("t", HOUR - 10 * 86_400, Outcome.FLAKY, 40);
        rollups.count("t", HOUR - 10 * 86_400, Outcome.ABORTED, 5);

        Views.Uptime uptime = rollups.uptime("t", NOW);

        assertThat(uptime.day()).isEqualTo(new Views.Window(20, 10, 0, 0.5));
        assertThat(uptime.week()).isEqualTo(new Views.Window(40, 30, 0, 0.75));
        assertThat(uptime.month()).isEqualTo(new Views.Window(80, 70, 40, 0.875));
    }

    @Test
    void runsOfTheCurrentHourShowAtOnceWhileTheClosedHoursAreKept() {
        rollups.count("t", HOUR - 3_600, Outcome.PASS, 1);
        assertThat(rollups.uptime("t", NOW).day().runs()).isEqualTo(1);

        rollups.count("t", HOUR, Outcome.FAIL, 1);
        rollups.latency("t", HOUR, Rollups.bucket(Duration.ofMillis(40)), 1);

        Views.Uptime uptime = rollups.uptime("t", NOW);
        assertThat(uptime.day()).isEqualTo(new Views.Window(2, 1, 0, 0.5));
        assertThat(uptime.p50ByHour()).extracting(Views.HourP50::hour).containsExactly("2026-12-04T10:00:00Z");
    }

    @Test
    void aCountForAnEarlierHourIsSeenAtOnce() {
        rollups.count("t", HOUR, Outcome.PASS, 1);
        assertThat(rollups.uptime("t", NOW).week().runs()).isEqualTo(1);

        rollups.count("t", HOUR - 3 * 86_400, Outcome.FAIL, 3);
        rollups.latency("t", HOUR - 3_600, Rollups.bucket(Duration.ofMillis(10)), 1);

        Views.Uptime uptime = rollups.uptime("t", NOW);
        assertThat(uptime.week()).isEqualTo(new Views.Window(4, 1, 0, 0.25));
        assertThat(uptime.p50ByHour()).extracting(Views.HourP50::hour).containsExactly("2026-12-04T09:00:00Z");
    }

    @Test
    void theCurrentHourBecomesAClosedOneWhenTheHourTurns() {
        rollups.count("t", HOUR, Outcome.PASS, 2);
        rollups.latency("t", HOUR, Rollups.bucket(Duration.ofMillis(100)), 2);
        assertThat(rollups.uptime("t", NOW).day().runs()).isEqualTo(2);

        Views.Uptime later = rollups.uptime("t", NOW.plus(Duration.ofHours(1)));
        assertThat(later.day()).isEqualTo(new Views.Window(2, 2, 0, 1.0));
        assertThat(later.p50ByHour()).hasSize(1);
        assertThat(rollups.uptime("t", NOW.plus(Duration.ofDays(2))).day().runs()).isZero();
        assertThat(rollups.uptime("t", NOW.plus(Duration.ofDays(2))).week().runs()).isEqualTo(2);
    }

    @Test
    void aTestWithoutRunsHasNoAvailability() {
        Views.Uptime uptime = rollups.uptime("never", NOW);

        assertThat(uptime.day()).isEqualTo(new Views.Window(0, 0, 0, null));
        assertThat(uptime.p50ByHour()).isEmpty();
    }

    @Test
    void durationsAreKeptForTheTrendsHoursOnly() {
        rollups.latency("t", HOUR - 30 * 3_600, Rollups.bucket(Duration.ofMillis(5)), 1);
        rollups.latency("t", HOUR - 3_600, Rollups.bucket(Duration.ofMillis(5)), 1);
        rollups.latency("t", HOUR - 40 * 3_600, Rollups.bucket(Duration.ofMillis(5)), 1);
        assertThat(rollups.uptime("t", NOW).p50ByHour()).extracting(Views.HourP50::hour)
                .containsExactly("2026-12-04T09:00:00Z");

        rollups.latency("t", HOUR + 24 * 3_600, Rollups.bucket(Duration.ofMillis(5)), 1);
        assertThat(rollups.uptime("t", NOW.plus(Duration.ofHours(24))).p50ByHour()).extracting(Views.HourP50::hour)
                .containsExactly("2026-12-05T10:00:00Z");
        rollups.latency("t", HOUR - 3_600, Rollups.bucket(Duration.ofMillis(5)), 1);
        assertThat(rollups.uptime("t", NOW).p50ByHour()).as("an hour too old for the trend takes no durations")
                .isEmpty();
    }
}

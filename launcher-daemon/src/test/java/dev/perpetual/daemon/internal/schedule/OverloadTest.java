package dev.perpetual.daemon.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Overload is recorded as overload: late ticks and a saturated daemon skip ticks rather than start runs late. */
class OverloadTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aTickMoreThanHalfAPeriodLateIsBehind() {
        assertThat(Scheduler.behind(30_000 * MS, 60_000 * MS)).isFalse();
        assertThat(Scheduler.behind(30_001 * MS, 60_000 * MS)).isTrue();
        assertThat(Scheduler.behind(0, 100 * MS)).isFalse();
    }

    @Test
    void aRunThatStartedMoreThanASecondLateSaturatesTheDaemonForFiveSeconds() {
        Saturation saturation = new Saturation();
        long now = 1_000_000 * MS;
        assertThat(saturation.saturated(now)).isFalse();

        saturation.started(1000 * MS, now);
        assertThat(saturation.saturated(now)).as("exactly a second late is on time").isFalse();

        saturation.started(1001 * MS, now);
        assertThat(saturation.saturated(now)).isTrue();
        assertThat(saturation.saturated(now + 4999 * MS)).isTrue();
        assertThat(saturation.saturated(now + 5000 * MS)).as("runs start on time again").isFalse();

        saturation.started(5 * MS, now + 6000 * MS);
        assertThat(saturation.saturated(now + 6000 * MS)).isFalse();
    }
}

package dev.perpetual.daemon.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OffsetsTest {

    @Test
    void anOffsetIsStableForTheSameNameAndPeriod() {
        assertThat(Offsets.of("CheckoutE2E.orderConfirmed", Duration.ofSeconds(30)))
                .isEqualTo(Offsets.of("CheckoutE2E.orderConfirmed", Duration.ofSeconds(30)));
    }

    @Test
    void offsetsFallWithinTheFirstPeriodAndSpreadOverIt() {
        Duration period = Duration.ofMinutes(5);
        Set<Long> tenths = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration offset = Offsets.of("Probe" + i + ".check", period);
            assertThat(offset).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(period);
            tenths.add(offset.toNanos() * 10 / period.toNanos());
        }
        assertThat(tenths).as("every tenth of the period gets some first runs").hasSize(10);
    }
}

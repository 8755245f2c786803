package dev.perpetual.daemon.internal.schedule;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Where in its first period a test's first run starts: a stable function of its name, so that tests do not all start
 * at once (a thundering herd at every deploy) and a test keeps its slot across restarts.
 */
final class Offsets {

    private Offsets() {
    }

    /** An offset in {@code [0, period)}, the same for the same name and period. */
    static Duration of(String name, Duration period) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        long spread = period.toNanos();
        // Mix the 32-bit checksum into 64 bits so that offsets spread over periods longer than 4 s too.
        long mixed = crc.getValue() * 0x9E3779B97F4A7C15L;
        return Duration.ofNanos(Math.floorMod(mixed, spread));
    }
}

package dev.perpetual.internal.trace;

import java.util.concurrent.ThreadLocalRandom;

/** W3C trace and span ids: random, lowercase hexadecimal, never all zeros (which the specification forbids). */
public final class TraceIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    /** A new trace id: 32 hexadecimal digits. */
    public static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        while (high == 0 && low == 0) {
            low = random.nextLong();
        }
        char[] id = new char[32];
        hex(high, id, 0);
        hex(low, id, 16);
        return new String(id);
    }

    /** A new span id: 16 hexadecimal digits. */
    public static String spanId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long value = random.nextLong();
        while (value == 0) {
            value = random.nextLong();
        }
        char[] id = new char[16];
        hex(value, id, 0);
        return new String(id);
    }

    private static void hex(long value, char[] into, int offset) {
        for (int i = 15; i >= 0; i--) {
            into[offset + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}

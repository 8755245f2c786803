package dev.perpetual.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Run ids: sortable by start time, unique across runs and daemons, short enough for a folder name. */
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.INTERNAL, since = "0.1")
public final class RunIds {

    private RunIds() {
    }

    /** A new id for a run starting at {@code epochMillis}. */
    public static String next(long epochMillis) {
        long random = ThreadLocalRandom.current().nextLong() >>> 4; // 60 random bits
        return Long.toString(epochMillis, 36) + "-" + pad(Long.toString(random, 36), 12);
    }

    private static String pad(String text, int length) {
        return text.length() >= length ? text : "0".repeat(length - text.length()) + text;
    }
}

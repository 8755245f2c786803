package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import dev.perpetual.spi.Outcome;
import org.apiguardian.api.API;

/**
 * Each test's runs per hour, counted by outcome, with a histogram of their durations: what uptime over 24 h, 7 d and
 * 30 d and the hourly p50 trend are made from. Kept in memory for the last {@value #KEPT_DAYS} days (a durable
 * {@link RunStore} keeps them longer, and puts them back after a restart).
 *
 * <p>Durations fall in logarithmic buckets, {@value #BUCKETS_PER_DOUBLING} per doubling (about 9 % wide): the p50 of
 * an hour is the middle of its bucket.
 */
@API(status = INTERNAL, since = "0.1")
public final class Rollups {

    public static final int BUCKETS_PER_DOUBLING = 8;
    static final int KEPT_DAYS = 31;
    private static final int BUCKETS = 40 * BUCKETS_PER_DOUBLING;

    private final Map<String, NavigableMap<Long, Hour>> tests = new HashMap<>();

    /** The start of the hour {@code instant} falls in, in epoch seconds. */
    public static long hour(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 3600) * 3600;
    }

    /** The bucket of a duration: {@code floor(8 · log2(1 + ms))}. */
    public static int bucket(Duration duration) {
        double millis = Math.max(0, duration.toNanos() / 1e6);
        return (int) Math.min(BUCKETS - 1, Math.floor(BUCKETS_PER_DOUBLING * Math.log1p(millis) / Math.log(2)));
    }

    /** The middle of {@code bucket}, in ms. */
    static double millis(int bucket) {
        return Math.pow(2, (bucket + 0.5) / BUCKETS_PER_DOUBLING) - 1;
    }

    public synchronized void add(RunRecord record) {
        count(record.test(), hour(record.start()), record.outcome(), 1);
        if (record.outcome() != Outcome.ABORTED) {
            latency(record.test(), hour(record.start()), bucket(record.duration()), 1);
        }
    }

    /** Adds {@code runs} runs of {@code outcome} to the hour starting at {@code hour} (epoch seconds). */
    public synchronized void count(String test, long hour, Outcome outcome, long runs) {
        of(test, hour).outcomes[outcome.ordinal()] += runs;
    }

    /** Adds {@code runs} durations in {@code bucket} to the hour starting at {@code hour}. */
    public synchronized void latency(String test, long hour, int bucket, long runs) {
        if (bucket >= 0 && bucket < BUCKETS) {
            of(test, hour).buckets[bucket] += runs;
        }
    }

    private Hour of(String test, long hour) {
        NavigableMap<Long, Hour> hours = tests.computeIfAbsent(test, t -> new TreeMap<>());
        Hour counts = hours.computeIfAbsent(hour, h -> new Hour());
        long oldest = hours.lastKey() - KEPT_DAYS * 86_400L;
        hours.headMap(oldest, false).clear();
        return counts;
    }

    /** Uptime over the last 24 h, 7 d and 30 d at {@code now}, and the p50 of each of the last 24 hours. */
    public synchronized Views.Uptime uptime(String test, Instant now) {
        NavigableMap<Long, Hour> hours = tests.getOrDefault(test, new TreeMap<>());
        long current = hour(now);
        return new Views.Uptime(window(hours, current, 1), window(hours, current, 7), window(hours, current, 30),
                trend(hours, current));
    }

    /** The hours from {@code days} days back to the current one, which counts as one of them. */
    private static Views.Window window(NavigableMap<Long, Hour> hours, long current, int days) {
        long runs = 0;
        long passes = 0;
        long flaky = 0;
        long aborted = 0;
        for (Hour hour : hours.subMap(current - days * 86_400L, false, current, true).values()) {
            for (Outcome outcome : Outcome.values()) {
                long count = hour.outcomes[outcome.ordinal()];
                runs += count;
                passes += outcome.succeeded() ? count : 0;
                flaky += outcome == Outcome.FLAKY ? count : 0;
                aborted += outcome == Outcome.ABORTED ? count : 0;
            }
        }
        long decisive = runs - aborted;
        return new Views.Window(decisive, passes, flaky, decisive == 0 ? null : (double) passes / decisive);
    }

    private static List<Views.HourP50> trend(NavigableMap<Long, Hour> hours, long current) {
        List<Views.HourP50> trend = new ArrayList<>();
        for (Map.Entry<Long, Hour> entry : hours.subMap(current - 86_400L, false, current, true).entrySet()) {
            Double p50 = entry.getValue().p50();
            if (p50 != null) {
                trend.add(new Views.HourP50(Instant.ofEpochSecond(entry.getKey()).toString(), p50));
            }
        }
        return trend;
    }

    private static final class Hour {

        final long[] outcomes = new long[Outcome.values().length];
        final long[] buckets = new long[BUCKETS];

        Double p50() {
            long total = 0;
            for (long count : buckets) {
                total += count;
            }
            if (total == 0) {
                return null;
            }
            long rank = (total + 1) / 2;
            long seen = 0;
            for (int bucket = 0; bucket < BUCKETS; bucket++) {
                seen += buckets[bucket];
                if (seen >= rank) {
                    return millis(bucket);
                }
            }
            return null;
        }
    }
}

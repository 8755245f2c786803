package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 *
 * <p>Every view of the status page asks for every test's uptime, so the hours before the current one are summed once
 * per test and hour ({@link Closed}) and only the current hour is added on each call: a test's 30 days are 720
 * hours, and 100 tests' would otherwise be summed on every request. A count for an earlier hour (a restart's
 * rollups, another replica's runs) drops that test's sums.
 */
@API(status = INTERNAL, since = "0.1")
public final class Rollups {

    public static final int BUCKETS_PER_DOUBLING = 8;
    static final int KEPT_DAYS = 31;
    /** The hours whose durations are kept: the trend's 24 and the current one. */
    public static final int TREND_HOURS = 25;
    private static final int BUCKETS = 40 * BUCKETS_PER_DOUBLING;

    private final Map<String, NavigableMap<Long, Hour>> tests = new HashMap<>();
    private final Map<String, Closed> closed = new HashMap<>();

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

    /**
     * Adds {@code runs} durations in {@code bucket} to the hour starting at {@code hour}: kept only for the last
     * {@value #TREND_HOURS} hours of the test, which the trend shows (a restart reads older ones from the store).
     */
    public synchronized void latency(String test, long hour, int bucket, long runs) {
        if (bucket >= 0 && bucket < BUCKETS) {
            Hour counts = of(test, hour);
            NavigableMap<Long, Hour> hours = tests.get(test);
            if (hour > hours.lastKey() - TREND_HOURS * 3_600L) {
                counts.buckets()[bucket] += runs;
            }
        }
    }

    private Hour of(String test, long hour) {
        Closed sums = closed.get(test);
        if (sums != null && hour < sums.current) {
            closed.remove(test);
        }
        NavigableMap<Long, Hour> hours = tests.computeIfAbsent(test, t -> new TreeMap<>());
        Hour counts = hours.get(hour);
        if (counts == null) {
            Long before = hours.isEmpty() ? null : hours.lastKey();
            counts = new Hour();
            hours.put(hour, counts);
            if (before != null && hour > before) {
                // only hours after (before − TREND_HOURS) can hold durations
                hours.subMap(before - TREND_HOURS * 3_600L, false, hour - TREND_HOURS * 3_600L, true).values()
                        .forEach(older -> older.buckets = null);
            }
            hours.headMap(hours.lastKey() - KEPT_DAYS * 86_400L, false).clear();
        }
        return counts;
    }

    /** Uptime over the last 24 h, 7 d and 30 d at {@code now}, and the p50 of each of the last 24 hours. */
    public synchronized Views.Uptime uptime(String test, Instant now) {
        NavigableMap<Long, Hour> hours = tests.getOrDefault(test, EMPTY);
        long current = hour(now);
        Closed sums = closed.get(test);
        if (sums == null || sums.current != current) {
            sums = new Closed(hours, current);
            if (hours != EMPTY) {
                closed.put(test, sums);
            }
        }
        Hour open = hours.get(current);
        List<Views.HourP50> trend = sums.trend;
        Double p50 = open == null ? null : open.p50();
        if (p50 != null) {
            trend = new ArrayList<>(sums.trend);
            trend.add(new Views.HourP50(Instant.ofEpochSecond(current).toString(), p50));
        }
        return new Views.Uptime(sums.day.plus(open), sums.week.plus(open), sums.month.plus(open), trend);
    }

    private static final NavigableMap<Long, Hour> EMPTY = Collections.emptyNavigableMap();

    /** A test's hours before {@code current}: the sums of each window, and the p50 of each of the last 24. */
    private static final class Closed {

        final long current;
        final Sums day;
        final Sums week;
        final Sums month;
        final List<Views.HourP50> trend = new ArrayList<>();

        Closed(NavigableMap<Long, Hour> hours, long current) {
            this.current = current;
            this.day = Sums.of(hours.subMap(current - 86_400L, false, current, false).values());
            this.week = Sums.of(hours.subMap(current - 7 * 86_400L, false, current, false).values());
            this.month = Sums.of(hours.subMap(current - 30 * 86_400L, false, current, false).values());
            for (Map.Entry<Long, Hour> entry : hours.subMap(current - 86_400L, false, current, false).entrySet()) {
                Double p50 = entry.getValue().p50();
                if (p50 != null) {
                    trend.add(new Views.HourP50(Instant.ofEpochSecond(entry.getKey()).toString(), p50));
                }
            }
        }
    }

    /** Runs per outcome over some hours: a window's availability is passes over decisive runs. */
    private record Sums(long runs, long passes, long flaky, long aborted) {

        static Sums of(Iterable<Hour> hours) {
            Sums sums = new Sums(0, 0, 0, 0);
            for (Hour hour : hours) {
                sums = sums.add(hour);
            }
            return sums;
        }

        Sums add(Hour hour) {
            long runs = this.runs;
            long passes = this.passes;
            long flaky = this.flaky;
            long aborted = this.aborted;
            for (Outcome outcome : Outcome.values()) {
                long count = hour.outcomes[outcome.ordinal()];
                runs += count;
                passes += outcome.succeeded() ? count : 0;
                flaky += outcome == Outcome.FLAKY ? count : 0;
                aborted += outcome == Outcome.ABORTED ? count : 0;
            }
            return new Sums(runs, passes, flaky, aborted);
        }

        /** With the current hour's runs ({@code hour} may be null), as a window. */
        Views.Window plus(Hour hour) {
            Sums all = hour == null ? this : add(hour);
            long decisive = all.runs - all.aborted;
            return new Views.Window(decisive, all.passes, all.flaky,
                    decisive == 0 ? null : (double) all.passes / decisive);
        }
    }

    /**
     * One hour's runs by outcome, and their durations while the hour is among the last {@value #TREND_HOURS}: 320
     * buckets a test and hour would be 2.5 KiB, some 190 MiB for 100 tests over 31 days.
     */
    private static final class Hour {

        final long[] outcomes = new long[Outcome.values().length];
        long[] buckets;

        long[] buckets() {
            if (buckets == null) {
                buckets = new long[BUCKETS];
            }
            return buckets;
        }

        Double p50() {
            if (buckets == null) {
                return null;
            }
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

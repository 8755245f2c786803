package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.perpetual.Constants;
import dev.perpetual.spi.Durations;
import org.apiguardian.api.API;

/**
 * {@code perpetual.metrics.buckets}: the bucket boundaries of {@code perpetual_run_seconds}, durations in increasing
 * order separated by commas. Each boundary is one series per test and outcome seen, so the default is short.
 */
@API(status = INTERNAL, since = "0.2")
public final class RunBuckets {

    /** The default boundaries ({@value Constants#METRICS_BUCKETS_VALUE}). */
    public static final List<Duration> DEFAULT = parse(Constants.METRICS_BUCKETS_VALUE);

    /** At most this many boundaries: {@value}. */
    static final int MAX = 30;

    private RunBuckets() {
    }

    /** The boundaries {@code config} sets, or the default when unset or bad (then a problem). */
    public static List<Duration> of(Map<String, String> config, List<String> problems) {
        String value = config.get(Constants.METRICS_BUCKETS);
        if (value == null) {
            return DEFAULT;
        }
        try {
            return parse(value);
        }
        catch (IllegalArgumentException e) {
            problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use 1 to %d "
                    + "durations in increasing order, separated by commas, such as %s (%s).", Constants.METRICS_BUCKETS,
                    value, MAX, Constants.METRICS_BUCKETS_VALUE, e.getMessage()));
            return DEFAULT;
        }
    }

    private static List<Duration> parse(String value) {
        List<Duration> buckets = new ArrayList<>();
        for (String part : value.split(",")) {
            Duration bucket;
            try {
                bucket = Durations.parse(part.strip());
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + part.strip() + "] is not a duration");
            }
            if (bucket.isZero() || bucket.isNegative()) {
                throw new IllegalArgumentException("[" + part.strip() + "] is not greater than zero");
            }
            if (!buckets.isEmpty() && bucket.compareTo(buckets.get(buckets.size() - 1)) <= 0) {
                throw new IllegalArgumentException("[" + part.strip() + "] is not greater than the one before");
            }
            buckets.add(bucket);
        }
        if (buckets.size() > MAX) {
            throw new IllegalArgumentException(buckets.size() + " boundaries");
        }
        return List.copyOf(buckets);
    }
}

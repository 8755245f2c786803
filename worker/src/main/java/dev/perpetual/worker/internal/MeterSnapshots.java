package dev.perpetual.worker.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/** The tests' meters as {@link Message.MeterData}: cumulative values the supervisor exports under the same names. */
final class MeterSnapshots {

    private static final double[] NONE = new double[0];

    private MeterSnapshots() {
    }

    static List<Message.MeterData> of(MeterRegistry registry) {
        List<Message.MeterData> meters = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            Message.MeterData data = of(meter);
            if (data != null) {
                meters.add(data);
            }
        }
        return meters;
    }

    private static Message.MeterData of(Meter meter) {
        Meter.Id id = meter.getId();
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.put(tag.getKey(), tag.getValue());
        }
        String name = id.getName();
        String description = id.getDescription();
        String unit = id.getBaseUnit();
        if (meter instanceof Counter counter) {
            return new Message.MeterData(name, "counter", tags, description, unit, counter.count(), 0, 0, 0, NONE,
                    NONE);
        }
        if (meter instanceof FunctionCounter counter) {
            return new Message.MeterData(name, "counter", tags, description, unit, counter.count(), 0, 0, 0, NONE,
                    NONE);
        }
        if (meter instanceof Gauge gauge) {
            return new Message.MeterData(name, "gauge", tags, description, unit, 0, 0, 0, gauge.value(), NONE, NONE);
        }
        if (meter instanceof Timer timer) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            CountAtBucket[] buckets = snapshot.histogramCounts();
            return new Message.MeterData(name, "timer", tags, description, "seconds", snapshot.count(),
                    snapshot.total(TimeUnit.SECONDS), snapshot.max(TimeUnit.SECONDS), 0,
                    bounds(buckets, TimeUnit.SECONDS), counts(buckets));
        }
        if (meter instanceof FunctionTimer timer) {
            return new Message.MeterData(name, "timer", tags, description, "seconds", timer.count(),
                    timer.totalTime(TimeUnit.SECONDS), 0, 0, NONE, NONE);
        }
        if (meter instanceof DistributionSummary summary) {
            HistogramSnapshot snapshot = summary.takeSnapshot();
            CountAtBucket[] buckets = snapshot.histogramCounts();
            return new Message.MeterData(name, "summary", tags, description, unit, snapshot.count(),
                    snapshot.total(), snapshot.max(), 0, bounds(buckets, null), counts(buckets));
        }
        return null; // long task timers and custom meters are not carried over
    }

    /** The buckets' upper bounds, in {@code unit} (a timer's) or as recorded (null: a summary's). */
    private static double[] bounds(CountAtBucket[] buckets, TimeUnit unit) {
        double[] bounds = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = unit == null ? buckets[i].bucket() : buckets[i].bucket(unit);
        }
        return bounds;
    }

    /** The buckets' cumulative counts. */
    private static double[] counts(CountAtBucket[] buckets) {
        double[] counts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            counts[i] = buckets[i].count();
        }
        return counts;
    }
}

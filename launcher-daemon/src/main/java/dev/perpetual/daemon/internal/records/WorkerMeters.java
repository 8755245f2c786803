package dev.perpetual.daemon.internal.records;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.Secrets;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The meters tests register in their workers (steps, webhooks, browsers, {@code O.metrics()}), on the supervisor's
 * {@code /metrics} under the names Micrometer would give them: what live workers last reported, plus what ended
 * workers had counted, so a counter keeps counting across a worker's replacement. Each meter is read with the
 * secrets' values replaced ({@link ScrubbedMeters}) before it is merged, so two meters that differ only by a secret
 * are one series.
 */
final class WorkerMeters implements MultiCollector {

    private final PrometheusNamingConvention naming = new PrometheusNamingConvention();
    private final Supplier<List<List<Message.MeterData>>> live;
    private final String location;
    private final Secrets secrets;
    /** Cumulative values of ended workers, by meter. */
    private final Map<String, Message.MeterData> ended = new LinkedHashMap<>();

    WorkerMeters(Supplier<List<List<Message.MeterData>>> live, String location, Secrets secrets) {
        this.live = live;
        this.location = location;
        this.secrets = secrets;
    }

    /** A worker ended: what it counted stays counted. Gauges go with it. */
    synchronized void fold(List<Message.MeterData> meters) {
        for (Message.MeterData reported : meters) {
            if (!reported.type().equals("gauge")) {
                Message.MeterData meter = ScrubbedMeters.of(reported, secrets);
                ended.merge(key(meter), meter, WorkerMeters::sum);
            }
        }
    }

    /** Every meter's current value across live and ended workers, by its name, type and tags. */
    Map<String, Message.MeterData> merged() {
        Map<String, Message.MeterData> merged;
        synchronized (this) {
            merged = new LinkedHashMap<>(ended);
        }
        for (List<Message.MeterData> worker : live.get()) {
            for (Message.MeterData reported : worker) {
                Message.MeterData meter = ScrubbedMeters.of(reported, secrets);
                merged.merge(key(meter), meter, WorkerMeters::sum);
            }
        }
        return merged;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, List<Message.MeterData>> byName = new TreeMap<>();
        for (Message.MeterData meter : merged().values()) {
            byName.computeIfAbsent(meter.name() + "|" + meter.type(), name -> new ArrayList<>()).add(meter);
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (List<Message.MeterData> family : byName.values()) {
            MetricSnapshot snapshot = snapshot(family);
            if (snapshot != null) {
                snapshots.add(snapshot);
            }
        }
        return new MetricSnapshots(snapshots);
    }

    private MetricSnapshot snapshot(List<Message.MeterData> family) {
        Message.MeterData first = family.get(0);
        String help = first.description() == null || first.description().isBlank() ? " " : first.description();
        switch (first.type()) {
            case "counter" -> {
                CounterSnapshot.Builder counter = CounterSnapshot.builder()
                        .name(stripTotal(naming.name(first.name(), Meter.Type.COUNTER, first.baseUnit()))).help(help);
                family.forEach(meter -> counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels(meter)).value(meter.count()).build()));
                return counter.build();
            }
            case "gauge" -> {
                GaugeSnapshot.Builder gauge = GaugeSnapshot.builder()
                        .name(naming.name(first.name(), Meter.Type.GAUGE, first.baseUnit())).help(help);
                family.forEach(meter -> gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(labels(meter)).value(meter.value()).build()));
                return gauge.build();
            }
            case "timer", "summary" -> {
                Meter.Type type = first.type().equals("timer") ? Meter.Type.TIMER : Meter.Type.DISTRIBUTION_SUMMARY;
                HistogramSnapshot.Builder histogram = HistogramSnapshot.builder()
                        .name(naming.name(first.name(), type, first.type().equals("timer") ? "seconds"
                                : first.baseUnit())).help(help);
                family.forEach(meter -> histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(labels(meter)).sum(meter.total()).classicHistogramBuckets(buckets(meter)).build()));
                return histogram.build();
            }
            default -> {
                return null;
            }
        }
    }

    /** Prometheus buckets (each its own count, the last +Inf) from Micrometer's cumulative ones. */
    private static ClassicHistogramBuckets buckets(Message.MeterData meter) {
        double[] bounds = new double[meter.bounds().length + 1];
        long[] counts = new long[bounds.length];
        long previous = 0;
        for (int i = 0; i < meter.bounds().length; i++) {
            bounds[i] = meter.bounds()[i];
            long cumulative = (long) meter.buckets()[i];
            counts[i] = Math.max(0, cumulative - previous);
            previous = Math.max(previous, cumulative);
        }
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        counts[counts.length - 1] = Math.max(0, (long) meter.count() - previous);
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    private Labels labels(Message.MeterData meter) {
        Map<String, String> tags = new TreeMap<>();
        meter.tags().forEach((key, value) -> tags.put(naming.tagKey(key), value));
        if (location != null) {
            tags.putIfAbsent("location", location);
        }
        return Labels.of(List.copyOf(tags.keySet()), List.copyOf(tags.values()));
    }

    private static String stripTotal(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    private static String key(Message.MeterData meter) {
        return meter.name() + "|" + meter.type() + "|" + new TreeMap<>(meter.tags());
    }

    /** Two workers' cumulative values of one meter, added. */
    private static Message.MeterData sum(Message.MeterData a, Message.MeterData b) {
        if (a.type().equals("gauge")) {
            return b;
        }
        double[] buckets = a.buckets();
        if (a.bounds().length == b.bounds().length) {
            buckets = a.buckets().clone();
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] += b.buckets()[i];
            }
        }
        return new Message.MeterData(a.name(), a.type(), a.tags(), a.description(), a.baseUnit(),
                a.count() + b.count(), a.total() + b.total(), Math.max(a.max(), b.max()), b.value(), a.bounds(),
                buckets);
    }
}

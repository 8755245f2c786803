package dev.perpetual.daemon.internal.records;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.perpetual.worker.internal.Message;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The workers' meters ({@link WorkerMeters}) in the OTLP push too: before each push, every meter a worker reported is
 * registered once in the OTLP registry as a function meter reading its latest merged value. Counters and gauges keep
 * their values; timers and summaries are pushed as their count and total (their buckets reach {@code /metrics} only).
 */
final class WorkerMetersOtlp {

    private final WorkerMeters meters;
    private final Set<String> registered = new HashSet<>();
    private volatile Map<String, Message.MeterData> current = Map.of();

    WorkerMetersOtlp(WorkerMeters meters) {
        this.meters = meters;
    }

    /** Reads the workers' meters now and registers in {@code registry} those it has not seen. */
    synchronized void sync(MeterRegistry registry) {
        current = meters.merged();
        for (Map.Entry<String, Message.MeterData> entry : current.entrySet()) {
            if (registered.add(entry.getKey())) {
                register(registry, entry.getKey(), entry.getValue());
            }
        }
    }

    private void register(MeterRegistry registry, String key, Message.MeterData meter) {
        Tags tags = Tags.of(meter.tags().entrySet().stream()
                .map(tag -> io.micrometer.core.instrument.Tag.of(tag.getKey(), tag.getValue())).toList());
        switch (meter.type()) {
            case "counter" -> FunctionCounter.builder(meter.name(), this, read(key, Message.MeterData::count))
                    .tags(tags).description(meter.description()).baseUnit(meter.baseUnit()).register(registry);
            case "gauge" -> Gauge.builder(meter.name(), this, read(key, Message.MeterData::value))
                    .tags(tags).description(meter.description()).baseUnit(meter.baseUnit()).register(registry);
            case "timer" -> FunctionTimer.builder(meter.name(), this,
                    self -> (long) self.value(key, Message.MeterData::count),
                    read(key, Message.MeterData::total), TimeUnit.SECONDS)
                    .tags(tags).description(meter.description()).register(registry);
            case "summary" -> {
                FunctionCounter.builder(meter.name() + ".count", this, read(key, Message.MeterData::count))
                        .tags(tags).description(meter.description()).register(registry);
                FunctionCounter.builder(meter.name() + ".sum", this, read(key, Message.MeterData::total))
                        .tags(tags).description(meter.description()).baseUnit(meter.baseUnit()).register(registry);
            }
            default -> {
                // a type this daemon does not know is left out of the push, as it is of /metrics
            }
        }
    }

    private ToDoubleFunction<WorkerMetersOtlp> read(String key, ToDoubleFunction<Message.MeterData> value) {
        return self -> self.value(key, value);
    }

    private double value(String key, ToDoubleFunction<Message.MeterData> value) {
        Message.MeterData meter = current.get(key);
        return meter == null ? Double.NaN : value.applyAsDouble(meter);
    }
}

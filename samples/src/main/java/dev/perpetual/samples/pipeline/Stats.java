package dev.perpetual.samples.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the pipeline did, served at {@code GET /stats}. */
final class Stats {

    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder deliveryAttempts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder failed = new LongAdder();

    Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("accepted", accepted.sum());
        values.put("rejected", rejected.sum());
        values.put("duplicates", duplicates.sum());
        values.put("processed", processed.sum());
        values.put("delivered", delivered.sum());
        values.put("deliveryAttempts", deliveryAttempts.sum());
        values.put("retries", retries.sum());
        values.put("dropped", dropped.sum());
        values.put("failed", failed.sum());
        return values;
    }
}

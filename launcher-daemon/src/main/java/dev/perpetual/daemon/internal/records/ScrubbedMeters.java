package dev.perpetual.daemon.internal.records;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.Secrets;

/**
 * A meter a test registered in its worker with the secrets' values replaced by {@code ****}, as in its runs' records:
 * in its name, tag keys and tag values, description and base unit, so that {@code O.metrics().counter("calls",
 * "token", token)} reaches neither {@code /metrics} nor the OTLP push with the token. The {@value #TEST} tag is the
 * test's name, kept as the record keeps it, so the test's series stay together.
 */
final class ScrubbedMeters {

    /** The tag every test's meter carries: its test's name. */
    static final String TEST = "test";

    private ScrubbedMeters() {
    }

    /** {@code meter} itself when it holds no secret (the common case: nothing is copied on a scrape). */
    static Message.MeterData of(Message.MeterData meter, Secrets secrets) {
        if (secrets.size() == 0 || !holdsSecret(meter, secrets)) {
            return meter;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        meter.tags().forEach((key, value) -> tags.merge(key.equals(TEST) ? key : secrets.scrub(key),
                key.equals(TEST) ? value : secrets.scrub(value), (first, second) -> first));
        return new Message.MeterData(secrets.scrub(meter.name()), meter.type(), tags,
                secrets.scrub(meter.description()), secrets.scrub(meter.baseUnit()), meter.count(), meter.total(),
                meter.max(), meter.value(), meter.bounds(), meter.buckets());
    }

    private static boolean holdsSecret(Message.MeterData meter, Secrets secrets) {
        if (holds(meter.name(), secrets) || holds(meter.description(), secrets) || holds(meter.baseUnit(), secrets)) {
            return true;
        }
        for (Map.Entry<String, String> tag : meter.tags().entrySet()) {
            if (!tag.getKey().equals(TEST) && (holds(tag.getKey(), secrets) || holds(tag.getValue(), secrets))) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(String text, Secrets secrets) {
        return !Objects.equals(secrets.scrub(text), text);
    }
}

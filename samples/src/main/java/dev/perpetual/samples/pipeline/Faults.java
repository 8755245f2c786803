package dev.perpetual.samples.pipeline;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fault switch: what the pipeline does wrong on purpose, so a user can watch probes fail, metrics move, and
 * recover. Set with {@code POST /admin/faults}, cleared with {@code DELETE /admin/faults}.
 *
 * @param dropPercent     deliveries silently dropped, 0–100
 * @param apiErrorPercent Tracking API requests answered 500, 0–100
 * @param latency         added before each delivery
 */
public record Faults(int dropPercent, int apiErrorPercent, Duration latency) {

    /** No faults. */
    public static final Faults NONE = new Faults(0, 0, Duration.ZERO);

    public Faults {
        requirePercent("dropPercent", dropPercent);
        requirePercent("apiErrorPercent", apiErrorPercent);
        if (latency == null || latency.isNegative() || latency.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("latencyMs must be between 0 and 60000 [" + latency + "]");
        }
    }

    private static void requirePercent(String name, int value) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + " must be between 0 and 100 [" + value + "]");
        }
    }

    boolean dropDelivery() {
        return roll(dropPercent);
    }

    boolean failApiRequest() {
        return roll(apiErrorPercent);
    }

    private static boolean roll(int percent) {
        return percent > 0 && ThreadLocalRandom.current().nextInt(100) < percent;
    }
}

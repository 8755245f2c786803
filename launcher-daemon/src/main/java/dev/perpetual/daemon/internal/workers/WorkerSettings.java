package dev.perpetual.daemon.internal.workers;

import static dev.perpetual.Constants.ISOLATION;
import static dev.perpetual.Constants.WEBHOOKS_EARLY_RETENTION;
import static dev.perpetual.Constants.WEBHOOKS_EARLY_RETENTION_VALUE;
import static dev.perpetual.Constants.WORKERS;
import static dev.perpetual.Constants.WORKER_JVM_ARGS;
import static dev.perpetual.Constants.WORKER_JVM_ARGS_VALUE;
import static dev.perpetual.Constants.WORKER_MAX_FILES_RATIO;
import static dev.perpetual.Constants.WORKER_MAX_HEAP_RATIO;
import static dev.perpetual.Constants.WORKER_MAX_STUCK_THREADS;
import static dev.perpetual.Constants.WORKER_MAX_STUCK_TIME;
import static dev.perpetual.Constants.WORKER_QUARANTINE_AFTER;
import static dev.perpetual.Constants.WORKER_RECYCLE_AFTER;
import static dev.perpetual.Constants.WORKER_RESTART_BACKOFF;
import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.perpetual.spi.Durations;
import org.apiguardian.api.API;

/**
 * The workers' settings ({@code perpetual.isolation}, {@code perpetual.workers}, {@code perpetual.worker.*}), read
 * once and checked: every bad value is a problem naming the key, the value and the accepted form.
 */
@API(status = INTERNAL, since = "0.1")
public record WorkerSettings(boolean inProcess, int workers, List<String> jvmArgs, Duration restartBackoff,
        Duration maxRestartBackoff, int quarantineAfter, int maxStuckThreads, Duration maxStuckTime,
        double maxHeapRatio, double maxFilesRatio, long recycleAfterRuns, Duration recycleAfterTime, Duration grace,
        Duration earlyRetention) {

    /** The most shared workers: each is a JVM with its own heap. */
    static final int MAX_WORKERS = 64;


    /** The keys the supervisor reads before it starts a worker: from {@code --config} only. */
    static final List<String> KEYS = List.of(ISOLATION, WORKERS, WORKER_JVM_ARGS, WORKER_RESTART_BACKOFF,
            WORKER_QUARANTINE_AFTER, WORKER_MAX_STUCK_THREADS, WORKER_MAX_STUCK_TIME, WORKER_MAX_HEAP_RATIO,
            WORKER_MAX_FILES_RATIO, WORKER_RECYCLE_AFTER);

    /**
     * A problem for each worker key set where only the worker reads it (a properties file) and not the same with
     * {@code --config}: it would be silently ignored.
     */
    public static void misplaced(Map<String, String> inEffect, Map<String, String> commandLine, List<String> problems) {
        for (String key : KEYS) {
            String value = inEffect.get(key);
            if (value != null && !value.equals(commandLine.get(key))) {
                problems.add(String.format("%s = [%s] is set where only the worker reads it (a properties file), "
                        + "but the daemon reads it before it starts the worker: give it with --config %s=%s.", key,
                        value, key, value));
            }
        }
    }

    public static WorkerSettings of(Map<String, String> config, Duration grace, List<String> problems) {
        Reader read = new Reader(config, problems);
        String isolation = read.value(ISOLATION, "worker").toLowerCase(Locale.ROOT);
        if (!isolation.equals("worker") && !isolation.equals("in-process")) {
            problems.add(invalid(ISOLATION, isolation, "worker (the default: tests run in worker JVMs) or "
                    + "in-process (inside the daemon's JVM, unprotected: for benchmarks and debugging)"));
        }
        int workers = read.number(WORKERS, 1, 1, MAX_WORKERS, "a whole number from 1 to " + MAX_WORKERS);
        if (workers > 1 && isolation.equals("in-process")) {
            problems.add(invalid(WORKERS, Integer.toString(workers), "1 with " + ISOLATION + " = [in-process], which "
                    + "runs the tests in the daemon's own JVM; leave " + ISOLATION + " out for worker JVMs"));
        }
        List<String> jvmArgs = List.of(read.value(WORKER_JVM_ARGS, WORKER_JVM_ARGS_VALUE).split("\\s+"));
        Duration backoff = read.duration(WORKER_RESTART_BACKOFF, "1s");
        int quarantine = read.number(WORKER_QUARANTINE_AFTER, 3, 1, Integer.MAX_VALUE, "a whole number, 1 or more");
        int stuck = read.number(WORKER_MAX_STUCK_THREADS, 4, 1, Integer.MAX_VALUE, "a whole number, 1 or more");
        Duration stuckTime = read.duration(WORKER_MAX_STUCK_TIME, "1m");
        double heap = read.ratio(WORKER_MAX_HEAP_RATIO, 0.9);
        double files = read.ratio(WORKER_MAX_FILES_RATIO, 0.8);
        String recycle = read.value(WORKER_RECYCLE_AFTER, "off");
        long recycleRuns = 0;
        Duration recycleTime = Duration.ZERO;
        if (!recycle.equals("off")) {
            if (recycle.chars().allMatch(Character::isDigit) && !recycle.isEmpty()) {
                recycleRuns = Long.parseLong(recycle);
            }
            else {
                try {
                    recycleTime = Durations.parse(recycle);
                }
                catch (IllegalArgumentException e) {
                    problems.add(invalid(WORKER_RECYCLE_AFTER, recycle, "off (the default), a number of runs such as "
                            + "10000, or a duration such as 6h"));
                }
            }
        }
        // Read by each worker's receiver too; the supervisor keeps deliveries routed between workers as long.
        Duration early = read.duration(WEBHOOKS_EARLY_RETENTION, WEBHOOKS_EARLY_RETENTION_VALUE);
        return new WorkerSettings(isolation.equals("in-process"), workers, jvmArgs, backoff, Duration.ofSeconds(30),
                quarantine, stuck, stuckTime, heap, files, recycleRuns, recycleTime, grace, early);
    }

    static String invalid(String key, String value, String accepted) {
        return "Invalid configuration parameter " + key + " = [" + value + "]: expected " + accepted;
    }

    /** Reads values, adding a problem for each bad one and answering the default instead. */
    private record Reader(Map<String, String> config, List<String> problems) {

        String value(String key, String fallback) {
            String value = config.get(key);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int number(String key, int fallback, int min, int max, String accepted) {
            return parsed(key, fallback, Integer::parseInt, value -> value >= min && value <= max, accepted);
        }

        double ratio(String key, double fallback) {
            return parsed(key, fallback, Double::parseDouble, value -> value > 0 && value <= 1,
                    "a share between 0 and 1, such as " + fallback);
        }

        Duration duration(String key, String fallback) {
            return parsed(key, Durations.parse(fallback), Durations::parse, value -> !value.isNegative()
                    && !value.isZero(), Durations.ACCEPTED_FORMS + ", more than 0");
        }

        private <T> T parsed(String key, T fallback, Function<String, T> parse,
                java.util.function.Predicate<T> valid, String accepted) {
            String value = config.get(key);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                T parsed = parse.apply(value.strip());
                if (valid.test(parsed)) {
                    return parsed;
                }
            }
            catch (RuntimeException e) {
                // reported below
            }
            problems.add(invalid(key, value.strip(), accepted));
            return fallback;
        }
    }
}

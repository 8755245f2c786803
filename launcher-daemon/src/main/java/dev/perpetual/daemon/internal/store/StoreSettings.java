package dev.perpetual.daemon.internal.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.spi.Durations;
import org.apiguardian.api.API;

/**
 * The run store's configuration: {@code perpetual.history.url}, {@code .user}, {@code .password}, {@code .max-runs},
 * {@code .max-age} and {@code .rollup-age}. Every bad value is a problem naming the key, the value and what to use.
 *
 * @param url       {@code memory}, {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://…}
 * @param user      the database user, or null (the URL's, if any)
 * @param password  the database password, or null (the URL's, if any)
 * @param maxRuns   the most runs kept per test
 * @param maxAge    how long a run is kept
 * @param rollupAge how long an hourly rollup is kept
 */
@API(status = INTERNAL, since = "0.1")
public record StoreSettings(String url, String user, String password, int maxRuns, Duration maxAge,
        Duration rollupAge) {

    public static final String MEMORY = "memory";
    static final String SQLITE = "jdbc:sqlite:";
    static final String POSTGRESQL = "jdbc:postgresql://";
    static final int MAX_RUNS_DEFAULT = 10_000;
    static final Duration MAX_AGE_DEFAULT = Duration.ofDays(30);
    static final Duration ROLLUP_AGE_DEFAULT = Duration.ofDays(400);

    /** The settings in {@code config}; each problem goes to {@code problems} (and its default is used). */
    public static StoreSettings of(Function<String, Optional<String>> config, List<String> problems) {
        String url = config.apply(Constants.HISTORY_URL).map(String::strip).filter(u -> !u.isEmpty()).orElse(MEMORY);
        if (!url.equals(MEMORY) && !(url.startsWith(SQLITE) && url.length() > SQLITE.length())
                && !(url.startsWith(POSTGRESQL) && url.length() > POSTGRESQL.length())) {
            problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use memory, "
                    + "jdbc:sqlite:<file> or jdbc:postgresql://<host>:<port>/<database> (default memory).",
                    Constants.HISTORY_URL, url));
            url = MEMORY;
        }
        int maxRuns = MAX_RUNS_DEFAULT;
        Optional<String> runs = config.apply(Constants.HISTORY_MAX_RUNS).map(String::strip);
        if (runs.isPresent()) {
            try {
                maxRuns = Integer.parseInt(runs.get());
            }
            catch (NumberFormatException e) {
                maxRuns = 0;
            }
            if (maxRuns < 1) {
                problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use a whole "
                        + "number, 1 or more (default %d).", Constants.HISTORY_MAX_RUNS, runs.get(),
                        MAX_RUNS_DEFAULT));
                maxRuns = MAX_RUNS_DEFAULT;
            }
        }
        return new StoreSettings(url, config.apply(Constants.HISTORY_USER).orElse(null),
                config.apply(Constants.HISTORY_PASSWORD).orElse(null), maxRuns,
                age(config, Constants.HISTORY_MAX_AGE, MAX_AGE_DEFAULT, "30d", problems),
                age(config, Constants.HISTORY_ROLLUP_AGE, ROLLUP_AGE_DEFAULT, "400d", problems));
    }

    private static Duration age(Function<String, Optional<String>> config, String key, Duration fallback,
            String shown, List<String> problems) {
        Optional<String> value = config.apply(key).map(String::strip);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            Duration age = Durations.parse(value.get());
            if (age.compareTo(Duration.ofHours(1)) >= 0) {
                return age;
            }
        }
        catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use a duration of 1h "
                + "or more, such as 7d (default %s).", key, value.get(), shown));
        return fallback;
    }

    public boolean memory() {
        return url.equals(MEMORY);
    }

    boolean sqlite() {
        return url.startsWith(SQLITE);
    }
}

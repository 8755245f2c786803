package dev.perpetual.daemon.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.perpetual.Constants;
import org.apiguardian.api.API;

/**
 * The supervisor's checks of the configuration a worker reported: keys Perpetual does not know, per-test keys that
 * name no selected test, and the supervisor's own settings. Every problem is reported at start, together.
 */
@API(status = INTERNAL, since = "0.1")
public final class ConfigCheck {

    static final int MAX_CONCURRENT_RUNS_DEFAULT = 64;
    private static final java.util.regex.Pattern TEST_OVERRIDE = java.util.regex.Pattern.compile(
            "perpetual\\.test\\.(.+)\\.(period|timeout|enabled|period-while-failing|depends-on|objective)");

    private ConfigCheck() {
    }

    public static String nothingSelectedHint(String what) {
        return what + " Select tests with --scan-class-path, --select-package, --select-class, --select-method or "
                + "--select-test, give their classes and dependencies with -cp <dirs and jars>, and check that --include-tag and "
                + "--exclude-tag do not filter them all out.";
    }

    static List<String> unknownKeys(Map<String, String> parameters) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(parameters.keySet())) {
            if (!Constants.isKnownKey(key)) {
                String suggestion = nearestKnownKey(key).map(known -> " Did you mean '" + known + "'?").orElse("");
                problems.add(String.format("Unknown configuration parameter '%s' [%s]: Perpetual has no such key.%s "
                        + "Keys of your tests' own belong under 'perpetual.env.'.", key,
                        parameters.get(key), suggestion));
            }
        }
        return problems;
    }

    /**
     * Warnings for {@code perpetual.test.<name>.*} keys that name no selected test: a typo in a name, or a key meant
     * for another daemon's selection (so a warning, not a problem).
     */
    static List<String> overridesOfNoTest(Map<String, String> parameters, Set<String> names) {
        List<String> warnings = new ArrayList<>();
        for (String key : new TreeSet<>(parameters.keySet())) {
            java.util.regex.Matcher override = TEST_OVERRIDE.matcher(key);
            if (override.matches() && !names.contains(override.group(1))) {
                warnings.add(String.format("Configuration parameter '%s' names no selected @Perpetual test [%s]: "
                        + "check the name against --list.", key, override.group(1)));
            }
        }
        return warnings;
    }

    private static Optional<String> nearestKnownKey(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : Constants.knownKeys()) {
            int distance = distance(key, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return bestDistance <= 3 ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static int maxConcurrentRuns(Map<String, String> parameters, List<String> problems) {
        Optional<String> value = Optional.ofNullable(parameters.get(Constants.DAEMON_MAX_CONCURRENT_RUNS)).map(String::strip);
        if (value.isEmpty()) {
            return MAX_CONCURRENT_RUNS_DEFAULT;
        }
        try {
            int runs = Integer.parseInt(value.get());
            if (runs >= 1) {
                return runs;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        problems.add(String.format("Configuration parameter '%s' has an invalid value [%s]: use a whole number, 1 or "
                + "more (default %d).", Constants.DAEMON_MAX_CONCURRENT_RUNS, value.get(),
                MAX_CONCURRENT_RUNS_DEFAULT));
        return MAX_CONCURRENT_RUNS_DEFAULT;
    }
}

package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apiguardian.api.API;

/**
 * A module's check of the {@code perpetual.*} keys it reads, so that a bad value stops a daemon at start instead of
 * failing every run later. Each module that reads keys (the extension, the browser probes) registers one in
 * {@code META-INF/services/dev.perpetual.spi.ConfigurationCheck}; the daemon runs them all in one pass and reports
 * every problem together.
 *
 * <p>A check reads each key with the same parser its module uses at run time, so the two cannot disagree; every
 * problem names the key, the value, the accepted forms and the fix.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public interface ConfigurationCheck {

    /**
     * Reports each bad value that {@code config} (every configuration parameter in effect, by key) holds to
     * {@code problems}, one sentence per problem.
     */
    void check(Map<String, String> config, Consumer<String> problems);

    /** {@code config} as the parsers read it. */
    static Function<String, Optional<String>> reader(Map<String, String> config) {
        return key -> Optional.ofNullable(config.get(key));
    }

    /**
     * Runs {@code parse}, one key's parser, reporting the message of what it throws as a problem: parsers that stop
     * at the first bad value are called once per key, so that every bad key is reported.
     */
    static void parsing(Consumer<String> problems, Runnable parse) {
        try {
            parse.run();
        }
        catch (RuntimeException e) {
            problems.accept(e.getMessage());
        }
    }

    /** The problems every check that {@code loader} finds reports for {@code config}, in the checks' order. */
    static List<String> all(ClassLoader loader, Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        for (ConfigurationCheck check : ServiceLoader.load(ConfigurationCheck.class, loader)) {
            check.check(config, problem -> {
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            });
        }
        return problems;
    }
}

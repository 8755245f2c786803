package dev.perpetual.daemon.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.perpetual.Constants;
import dev.perpetual.internal.trace.Tenancy;
import dev.perpetual.daemon.internal.records.OtlpExport;
import dev.perpetual.daemon.internal.records.RunBuckets;
import dev.perpetual.daemon.internal.records.TraceExport;
import dev.perpetual.daemon.internal.records.TraceLinks;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.internal.schedule.RunGate;
import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.Secrets;
import org.apiguardian.api.API;

/**
 * What discovery found: the tests to schedule, the perpetual tests disabled in this environment
 * ({@code @Disabled}, {@code perpetual.test.<name>.enabled=false}), and the selected tests that are not perpetual
 * (listed, never run).
 *
 * @param scheduled         the tests to run
 * @param disabled          the perpetual tests disabled by configuration
 * @param notPerpetual      display names of selected tests without {@code @Perpetual}
 * @param config            the configuration in effect, as the worker read it
 * @param maxConcurrentRuns {@code perpetual.daemon.max-concurrent-runs}
 * @param location          {@code perpetual.location}, or null
 * @param warnings          what deserves a look but does not stop the daemon
 * @param runBuckets        {@code perpetual.metrics.buckets}
 */
@API(status = INTERNAL, since = "0.1")
public record Catalog(List<ScheduledTest> scheduled, List<ScheduledTest> disabled, List<String> notPerpetual,
        Map<String, String> config, int maxConcurrentRuns, String location, List<String> warnings,
        List<java.time.Duration> runBuckets) {

    /** The catalog of what a worker discovered; every problem with it or with the configuration goes to {@code problems}. */
    public static Catalog of(Message.Catalog found, List<String> problems) {
        problems.addAll(found.problems());
        problems.addAll(Dependencies.problems(found.tests()));
        List<ScheduledTest> scheduled = new ArrayList<>();
        List<ScheduledTest> disabled = new ArrayList<>();
        for (Message.TestSpec spec : found.tests()) {
            ScheduledTest test = ScheduledTest.of(spec);
            (test.enabled() ? scheduled : disabled).add(test);
        }
        Map<String, String> config = found.config();
        problems.addAll(ConfigCheck.unknownKeys(config));
        RunGate.problem(key -> Optional.ofNullable(config.get(key))).ifPresent(problems::add);
        int maxConcurrentRuns = ConfigCheck.maxConcurrentRuns(config, problems);
        ScheduleLimits.check(scheduled, ScheduleLimits.periodMin(config, problems), problems);
        OtlpExport.validate(key -> Optional.ofNullable(config.get(key)), problems);
        List<java.time.Duration> runBuckets = RunBuckets.of(config, problems);
        Optional.ofNullable(config.get(Constants.TENANCY)).map(String::strip).map(Tenancy::problem)
                .ifPresent(problems::add);
        Optional.ofNullable(config.get(Constants.TENANCY_REQUIRE_ON_WEBHOOKS)).map(String::strip)
                .filter(value -> !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false"))
                .ifPresent(value -> problems.add(String.format("Invalid configuration parameter %s = [%s]: expected "
                        + "true or false (default false)", Constants.TENANCY_REQUIRE_ON_WEBHOOKS, value)));
        TraceExport.validate(key -> Optional.ofNullable(config.get(key)), problems);
        TraceLinks.validate(key -> Optional.ofNullable(config.get(key)), problems);
        String location = Optional.ofNullable(config.get(Constants.LOCATION)).map(String::strip)
                .filter(s -> !s.isEmpty()).orElse(null);
        return new Catalog(scheduled, disabled, found.notPerpetual(), config, maxConcurrentRuns, location,
                ConfigCheck.overridesOfNoTest(config, found.tests().stream().map(Message.TestSpec::name)
                        .collect(Collectors.toSet())), runBuckets);
    }

    /** The values of the secret keys among the configuration, which no output of the daemon shows. */
    public Secrets secrets() {
        return Secrets.of(config);
    }

    /** A configuration value, if set. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(config.get(key));
    }
}

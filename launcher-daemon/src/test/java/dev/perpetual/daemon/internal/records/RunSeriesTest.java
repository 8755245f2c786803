package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.perpetual.Overlap;
import dev.perpetual.spi.Outcome;
import org.junit.jupiter.api.Test;

class RunSeriesTest {

    private static final ScheduledTest TEST = new ScheduledTest("Checkout.order", "com.acme.Checkout", "order",
            "[engine:junit-jupiter]", Duration.ofMinutes(1), Duration.ofSeconds(30), Overlap.SKIP, 0,
            Optional.empty(), null, null, List.of(), OptionalDouble.empty());

    @Test
    void anOutcomesSeriesAppearWithItsFirstRunAndCarryTheConfiguredBuckets() {
        List<String> problems = new ArrayList<>();
        List<Duration> buckets = RunBuckets.of(Map.of("perpetual.metrics.buckets", "50ms, 1s"), problems);
        assertThat(problems).isEmpty();
        try (DaemonMetrics metrics = new DaemonMetrics(null, null, buckets)) {
            metrics.register(TEST);
            assertThat(runSeries(metrics)).isEmpty();
            assertThat(metrics.prometheus().scrape()).contains("perpetual_test_last_success{test=\"Checkout.order\"} NaN");

            metrics.recorded(record(Outcome.PASS));
            String labels = "class=\"com.acme.Checkout\",outcome=\"pass\",test=\"Checkout.order\"";
            assertThat(runSeries(metrics)).containsExactly(
                    "perpetual_run_seconds_bucket{" + labels + ",le=\"0.05\"} 1",
                    "perpetual_run_seconds_bucket{" + labels + ",le=\"1.0\"} 1",
                    "perpetual_run_seconds_bucket{" + labels + ",le=\"+Inf\"} 1",
                    "perpetual_run_seconds_count{" + labels + "} 1",
                    "perpetual_run_seconds_sum{" + labels + "} 0.02",
                    "perpetual_run_seconds_max{" + labels + "} 0.02");

            metrics.recorded(record(Outcome.FAIL));
            assertThat(runSeries(metrics)).hasSize(12).contains("perpetual_run_seconds_count{class=\"com.acme.Checkout\","
                    + "outcome=\"fail\",test=\"Checkout.order\"} 1");
        }
    }

    @Test
    void badBucketsAreAProblemNamingTheKeyTheValueTheFormAndWhatIsWrong() {
        List<String> problems = new ArrayList<>();
        assertThat(RunBuckets.of(Map.of("perpetual.metrics.buckets", "1s, 500ms"), problems))
                .isEqualTo(RunBuckets.DEFAULT);
        RunBuckets.of(Map.of("perpetual.metrics.buckets", "1s, soon"), problems);
        assertThat(problems).containsExactly(
                "Configuration parameter 'perpetual.metrics.buckets' has an invalid value [1s, 500ms]: use 1 to 30 "
                        + "durations in increasing order, separated by commas, such as 100ms, 250ms, 500ms, 1s, "
                        + "2500ms, 5s, 10s, 30s, 1m ([500ms] is not greater than the one before).",
                "Configuration parameter 'perpetual.metrics.buckets' has an invalid value [1s, soon]: use 1 to 30 "
                        + "durations in increasing order, separated by commas, such as 100ms, 250ms, 500ms, 1s, "
                        + "2500ms, 5s, 10s, 30s, 1m ([soon] is not a duration).");
    }

    private static List<String> runSeries(DaemonMetrics metrics) {
        return metrics.prometheus().scrape().lines().filter(line -> line.startsWith("perpetual_run_seconds"))
                .map(line -> line.replaceAll(" (\\d+)\\.0$", " $1")).toList();
    }

    private static RunRecord record(Outcome outcome) {
        return new RunRecord(TEST.name(), TEST.className(), "run-1", null, Instant.now(), Duration.ofMillis(20),
                outcome, 1, null, null, List.of(), 0, List.of(), List.of(), false, null, null);
    }
}

package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    @Test
    void metricsCarryTheDocumentedNamesAndLabelsAndTheLocation() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.location=eu-west-1"),
                ProbeTestCase.class)) {
            daemon.awaitRuns("ProbeTestCase.probe", 2);
            // The tests' own meters come with the worker's health beat, every second.
            String custom = "perpetual_probe_checks_total{location=\"eu-west-1\",test=\"ProbeTestCase.probe\"}";
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> daemon.scrape().contains(custom));
            String metrics = daemon.scrape();
            String labels = "class=\"" + ProbeTestCase.class.getName() + "\",location=\"eu-west-1\",outcome=\"pass\","
                    + "test=\"ProbeTestCase.probe\"";
            assertThat(metrics)
                    .contains("perpetual_run_seconds_bucket{" + labels + ",le=\"0.1\"}")
                    .contains("perpetual_run_seconds_count{" + labels + "}")
                    .contains("perpetual_run_seconds_sum{" + labels + "}")
                    .contains("perpetual_test_last_success{location=\"eu-west-1\",test=\"ProbeTestCase.probe\"} 1.0")
                    .contains("perpetual_test_last_run_timestamp_seconds{location=\"eu-west-1\",test=\"ProbeTestCase.probe\"} ")
                    .contains("perpetual_runs_in_flight{location=\"eu-west-1\"} ")
                    .contains("perpetual_threads_stuck{location=\"eu-west-1\"} 0.0")
                    .contains("perpetual_schedule_lateness_seconds_bucket{location=\"eu-west-1\",le=\"0.001\"}")
                    .contains("perpetual_probe_checks_total{location=\"eu-west-1\",test=\"ProbeTestCase.probe\"}")
                    .contains("jvm_memory_used_bytes{").contains("process_cpu_usage{")
                    .doesNotContain("perpetual_internal");
        }
    }

    @Test
    void metricsAreServedAsOpenMetricsWhenAsked() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(ProbeTestCase.class)) {
            daemon.awaitRuns("ProbeTestCase.probe", 1);
            HttpResponse<String> prometheus = daemon.get("/metrics");
            HttpResponse<String> openMetrics = daemon.get("/metrics", "Accept",
                    "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");

            assertThat(prometheus.headers().firstValue("Content-Type")).hasValue(HttpApi.PROMETHEUS_TEXT);
            assertThat(openMetrics.headers().firstValue("Content-Type")).hasValue(HttpApi.OPENMETRICS_TEXT);
            assertThat(openMetrics.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void healthReadinessApiAndStatusAreServedOnTheSamePort() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), ProbeTestCase.class)) {
            assertThat(daemon.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(daemon.get("/readyz").statusCode()).as("not scheduling yet").isEqualTo(503);
            daemon.daemon.schedule();
            daemon.awaitRuns("ProbeTestCase.probe", 1);
            assertThat(daemon.get("/readyz").statusCode()).isEqualTo(200);

            assertThat(daemon.get("/api/tests").body()).contains("\"name\":\"ProbeTestCase.probe\"",
                    "\"period\":\"50ms\"", "\"overlap\":\"skip\"", "\"lastOutcome\":\"pass\"");
            HttpResponse<String> runs = daemon.get("/api/tests/ProbeTestCase.probe/runs");
            assertThat(runs.statusCode()).isEqualTo(200);
            assertThat(runs.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(runs.body()).startsWith("{\"test\":\"ProbeTestCase.probe\",\"runs\":[{\"runId\":")
                    .contains("\"outcome\":\"pass\"", "\"logLines\":[\"checked\"]");
            assertThat(daemon.get("/api/tests/Nope.nope/runs").statusCode()).isEqualTo(404);
            assertThat(daemon.get("/status").body()).contains(
                    "<tbody class=\"test passing\" data-test=\"ProbeTestCase.probe\">",
                    "<a class=\"c pass\" href=\"/status/tests/ProbeTestCase.probe/runs/");
            assertThat(daemon.get("/webhooks/orders").statusCode()).isEqualTo(404);
            assertThat(daemon.get("/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void jsonLogFormatWritesOneObjectPerRun() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--log-format", "json"), ProbeTestCase.class)) {
            daemon.awaitRuns("ProbeTestCase.probe", 1);
            assertThat(daemon.console().lines().filter(line -> line.contains("\"event\":\"run\"")).findFirst())
                    .hasValueSatisfying(line -> assertThat(line).startsWith("{\"time\":\"")
                            .contains("\"test\":\"ProbeTestCase.probe\",\"outcome\":\"pass\",\"durationMs\":"));
        }
    }
}

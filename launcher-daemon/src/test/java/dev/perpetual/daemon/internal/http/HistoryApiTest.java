package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/tests/{name}/runs} with its filters and pages, and uptime on {@code /api/tests} and {@code /status}. */
class HistoryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNS = "/api/tests/ProbeTestCase.probe/runs";

    @TempDir
    Path folder;

    @Test
    void runsArePagedNewestFirstAndFilteredFromTheDatabase() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.history.url=jdbc:sqlite:"
                + folder.resolve("history.db")), ProbeTestCase.class)) {
            daemon.awaitRuns("ProbeTestCase.probe", 6);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> JSON.readTree(
                    daemon.get(RUNS + "?limit=5").body()).get("runs").size() == 5);

            List<String> paged = new ArrayList<>();
            String next = RUNS + "?limit=2";
            for (int page = 0; page < 3; page++) {
                JsonNode body = JSON.readTree(daemon.get(next).body());
                assertThat(body.get("runs")).hasSize(2);
                body.get("runs").forEach(run -> paged.add(run.get("start").asText() + " " + run.get("runId")
                        .asText()));
                next = body.get("next").asText();
                assertThat(next).startsWith(RUNS + "?limit=2&before=");
            }
            assertThat(paged).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> b.compareTo(a));

            assertThat(JSON.readTree(daemon.get(RUNS + "?outcome=fail").body()).get("runs")).isEmpty();
            assertThat(JSON.readTree(daemon.get(RUNS + "?outcome=pass&limit=3").body()).get("runs")).hasSize(3);
        }
    }

    @Test
    void badQueriesAreAnswered400NamingTheParameterAndTheFix() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), ProbeTestCase.class)) {
            assertThat(problem(daemon.get(RUNS + "?limit=0"))).isEqualTo("Invalid limit [0]: use a whole number "
                    + "from 1 to 1000 (default 100).");
            assertThat(problem(daemon.get(RUNS + "?before=yesterday"))).isEqualTo("Invalid before [yesterday]: "
                    + "use an instant such as 2026-12-03T20:00:00Z (the runs that started before it).");
            assertThat(problem(daemon.get(RUNS + "?outcome=red"))).isEqualTo("Invalid outcome [red]: use one of "
                    + "pass, flaky, fail, error, timeout, aborted.");
        }
    }

    @Test
    void uptimeAndTheLatencyTrendAreOnTheApiAndTheStatusPage() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(ProbeTestCase.class)) {
            daemon.awaitRuns("ProbeTestCase.probe", 3);
            JsonNode uptime = JSON.readTree(daemon.get("/api/tests").body()).get("tests").get(0).get("uptime");
            assertThat(uptime.get("day").get("runs").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(uptime.get("day").get("availability").asDouble()).isEqualTo(1.0);
            assertThat(uptime.get("month").get("flaky").asLong()).isZero();
            assertThat(uptime.get("p50ByHour")).hasSize(1);

            String status = daemon.get("/status").body();
            assertThat(status).contains("data-window=\"24h\"", "data-window=\"7d\"", "data-window=\"30d\"",
                    ">24h 100%<", "<svg class=\"trend\"", "p50 per hour over the last day: ");
        }
    }

    private static String problem(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        return JSON.readTree(response.body()).get("error").asText();
    }
}

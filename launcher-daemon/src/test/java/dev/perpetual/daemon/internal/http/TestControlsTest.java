package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.Test;

/** {@code POST /api/tests/{name}/run|pause|resume} on a running daemon, with and without the admin token. */
class TestControlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token";
    private static final String AUTH = "Bearer " + TOKEN;

    @Test
    void withoutATokenConfiguredNobodyCanRunOrPauseATest() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(HourlyTestCase.class)) {
            HttpResponse<String> run = daemon.post("/api/tests/HourlyTestCase.check/run", "Authorization", AUTH);

            assertThat(run.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(run.body()).get("error").asText()).isEqualTo("Running, pausing and resuming "
                    + "tests is off: start the daemon with --config perpetual.admin.token=<a secret>, and send it as "
                    + "the header Authorization: Bearer <the secret>.");
        }
    }

    @Test
    void aWrongOrMissingTokenIs401AndTheRightOneStartsARunWhoseIdIsAnswered() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.admin.token=" + TOKEN),
                HourlyTestCase.class)) {
            String path = "/api/tests/HourlyTestCase.check/run";
            HttpResponse<String> missing = daemon.post(path);
            HttpResponse<String> wrong = daemon.post(path, "Authorization", "Bearer guess");
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"perpetual\"");
            assertThat(JSON.readTree(missing.body()).get("error").asText()).isEqualTo("Send the token of "
                    + "perpetual.admin.token as the header Authorization: Bearer <token>.");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(wrong.body()).get("error").asText())
                    .isEqualTo("The bearer token is not perpetual.admin.token's.");

            HttpResponse<String> run = daemon.post(path, "Authorization", AUTH);
            assertThat(run.statusCode()).isEqualTo(202);
            String runId = JSON.readTree(run.body()).get("runId").asText();
            assertThat(runId).matches("[0-9a-z]+-[0-9a-z]{12}");
            await().atMost(Duration.ofSeconds(20)).until(() -> daemon.runs("HourlyTestCase.check").stream()
                    .anyMatch(record -> record.runId().equals(runId)));
            assertThat(daemon.get("/api/tests/HourlyTestCase.check/runs/" + runId).statusCode()).isEqualTo(200);
            assertThat(daemon.post("/api/tests/NoSuch.test/run", "Authorization", AUTH).statusCode())
                    .isEqualTo(404);
            assertThat(daemon.get(path).statusCode()).as("GET is not a way to run a test").isEqualTo(405);
        }
    }

    @Test
    void aPausedTestsTicksAreSkippedAndCountedUntilItIsResumed() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.admin.token=" + TOKEN),
                FrequentTestCase.class)) {
            String test = "FrequentTestCase.check";
            daemon.awaitRuns(test, 1);
            HttpResponse<String> pause = daemon.post("/api/tests/" + test + "/pause", "Authorization", AUTH);
            assertThat(pause.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(pause.body()).get("paused").asBoolean()).isTrue();
            String skipped = "perpetual_run_skipped_total{reason=\"paused\",test=\"" + test + "\"}";
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample(skipped) >= 3);
            int runsWhilePaused = daemon.runs(test).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.sample(skipped) >= 6);
            assertThat(daemon.runs(test)).as("no run started while paused").hasSizeLessThanOrEqualTo(
                    runsWhilePaused + 1); // one may have been going when it was paused
            assertThat(daemon.sample("perpetual_test_paused{test=\"" + test + "\"}")).isEqualTo(1.0);
            JsonNode view = JSON.readTree(daemon.get("/api/tests").body()).get("tests").get(0);
            assertThat(view.get("paused").asBoolean()).isTrue();
            assertThat(view.get("pausedUntil").isNull()).as("until resumed").isTrue();

            assertThat(daemon.post("/api/tests/" + test + "/resume", "Authorization", AUTH).statusCode())
                    .isEqualTo(200);
            int resumed = daemon.runs(test).size();
            daemon.awaitRuns(test, resumed + 2);
            assertThat(daemon.sample("perpetual_test_paused{test=\"" + test + "\"}")).isEqualTo(0.0);
        }
    }

    @Test
    void aPauseUntilADurationOrAnInstantEndsByItself() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.admin.token=" + TOKEN),
                HourlyTestCase.class)) {
            String path = "/api/tests/HourlyTestCase.check/pause";
            Instant before = Instant.now();
            JsonNode forAnHour = JSON.readTree(daemon.post(path + "?until=1h", "Authorization", AUTH).body());
            assertThat(Instant.parse(forAnHour.get("pausedUntil").asText()))
                    .isBetween(before.plusSeconds(3600), Instant.now().plusSeconds(3600));
            JsonNode past = JSON.readTree(daemon.post(path + "?until=2020-01-01T00:00:00Z", "Authorization", AUTH)
                    .body());
            assertThat(past.get("paused").asBoolean()).as("an instant passed: not paused").isFalse();
            HttpResponse<String> bad = daemon.post(path + "?until=soon", "Authorization", AUTH);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).get("error").asText()).isEqualTo("Invalid until [soon]: expected a "
                    + "duration such as 30m or 2h, or an instant such as 2026-12-03T20:00:00Z.");
        }
    }

    static class HourlyTestCase {
        @Perpetual(period = "1h", timeout = "5s")
        void check(O o) {
            o.log("checked");
        }
    }

    static class FrequentTestCase {
        @Perpetual(period = "100ms", timeout = "5s")
        void check(O o) {
            o.log("checked");
        }
    }
}

package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The real jar on a hostile test beside a harmless one: the hostile test ends its worker JVM, the run is recorded
 * saying how and by whom, a new worker takes over, and the harmless test keeps running on its cadence.
 */
class HostileTestsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void systemExitInATestIsRecordedWithItsCallerAndTheWorkerIsReplaced() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", "--select-method",
                "dev.perpetual.daemon.fixtures.HealthCheckE2E#healthy(dev.perpetual.O)", "--select-class",
                "dev.perpetual.daemon.fixtures.ExitE2E")) {
            int port = jar.awaitPort();
            JsonNode exit = awaitRun(port, "ExitE2E.exits", "error");
            assertThat(exit.get("message").asText())
                    .startsWith("System.exit(3) called from ExitE2E.exits(ExitE2E.java:10) on thread \"")
                    .endsWith("\" ended the worker, while running ExitE2E.exits");
            assertHarmlessKeepsPassing(port);
            assertThat(scrape(port)).containsPattern("perpetual_worker_restarts_total\\{reason=\"exit\"} [1-9]");
        }
    }

    @Test
    void runtimeHaltInATestIsRecordedAndTheWorkerIsReplaced() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", "--select-method",
                "dev.perpetual.daemon.fixtures.HealthCheckE2E#healthy(dev.perpetual.O)", "--select-class",
                "dev.perpetual.daemon.fixtures.HaltE2E")) {
            int port = jar.awaitPort();
            JsonNode halt = awaitRun(port, "HaltE2E.halts", "error");
            assertThat(halt.get("message").asText()).isEqualTo("the worker ended with exit code 7 and no shutdown "
                    + "hook ran (Runtime.halt, or a native exit), while running HaltE2E.halts");
            assertHarmlessKeepsPassing(port);
        }
    }

    /** The harmless neighbour passes again after the hostile test ended a worker: two more passing runs. */
    private static void assertHarmlessKeepsPassing(int port) throws Exception {
        long before = passes(port);
        await().atMost(Duration.ofSeconds(30)).until(() -> passes(port) >= before + 2);
    }

    private static long passes(int port) throws Exception {
        JsonNode runs = get(port, "/api/tests/HealthCheckE2E.healthy/runs").get("runs");
        long count = 0;
        for (JsonNode run : runs) {
            count += run.get("outcome").asText().equals("pass") ? 1 : 0;
        }
        return count;
    }

    private static JsonNode awaitRun(int port, String test, String outcome) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (JsonNode run : get(port, "/api/tests/" + test + "/runs").get("runs")) {
                if (run.get("outcome").asText().equals(outcome)) {
                    return run;
                }
            }
            return null;
        }, run -> run != null);
    }

    private static JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String scrape(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}

package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real jar with a durable run store: a {@code kill -9} forgets nothing, a database outage loses nothing. */
class HistoryIT {

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HEALTHY = "/api/tests/HealthCheckE2E.healthy/runs";
    private static final Pattern RUN_LINE = Pattern.compile("^(PASS|FLAKY|FAIL|ERROR|TIMEOUT|ABORTED) +"
            + "(HealthCheckE2E\\.healthy|checkout\\.confirmation) +\\d+ ms.*");

    @TempDir
    Path folder;

    @AfterEach
    void dropTables() throws Exception {
        postgres.dropTables();
    }

    @Test
    void afterKill9ARestartShowsTheEarlierRunsAndKeepsTheCadence() throws Exception {
        String[] options = { "--select-class", "dev.perpetual.daemon.fixtures.HealthCheckE2E", "--config",
                "perpetual.history.url=jdbc:sqlite:" + folder.resolve("history.db"), "--config",
                "perpetual.test.HealthCheckE2E.healthy.period=2s" };
        List<String> before = new ArrayList<>();
        Instant lastStart;
        try (DaemonJar first = DaemonJar.start("2s", options)) {
            int port = first.awaitPort();
            JsonNode runs = await().atMost(Duration.ofSeconds(30)).until(() -> get(port, HEALTHY).get("runs"),
                    found -> found.size() >= 2);
            runs.forEach(run -> before.add(run.get("runId").asText()));
            lastStart = Instant.parse(runs.get(0).get("start").asText());
            first.process.destroyForcibly(); // kill -9
            assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        try (DaemonJar second = DaemonJar.start("2s", options)) {
            int port = second.awaitPort();
            List<String> shown = new ArrayList<>();
            get(port, HEALTHY).get("runs").forEach(run -> shown.add(run.get("runId").asText()));
            assertThat(shown).containsAll(before);
            String status = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/status"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(status).contains("/status/tests/HealthCheckE2E.healthy/runs/" + before.get(0));
            JsonNode uptime = get(port, "/api/tests").get("tests").get(0).get("uptime");
            assertThat(uptime.get("day").get("runs").asLong()).isGreaterThanOrEqualTo(before.size());

            JsonNode next = await().atMost(Duration.ofSeconds(30)).until(() -> get(port, HEALTHY).get("runs").get(0),
                    run -> !before.contains(run.get("runId").asText()));
            long sinceLast = Duration.between(lastStart, Instant.parse(next.get("planned").asText())).toMillis();
            assertThat(sinceLast).as("the first planned start after the restart, from the last start before it")
                    .isGreaterThanOrEqualTo(1900);
            assertThat(Math.floorMod(sinceLast + 200, 2000)).as("on the 2s grid of the last start")
                    .isBetween(0, 400);
        }
    }

    @Test
    void postgresqlStoppedMidRunAndStartedAgainHasEveryRunTheDaemonRecorded() throws Exception {
        List<String> output;
        try (DaemonJar jar = DaemonJar.start("2s", "--select-class", "dev.perpetual.daemon.fixtures.HealthCheckE2E",
                "--config", "perpetual.history.url=" + postgres.url(), "--config",
                "perpetual.history.user=" + PostgresServer.USER)) {
            int port = jar.awaitPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> postgres.runsStored() >= 4);

            postgres.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> text(port, "/healthz").body().startsWith(
                    "ok\ndegraded: the run store has failed since "));
            assertThat(text(port, "/readyz").statusCode()).isEqualTo(200);
            assertThat(text(port, "/healthz").statusCode()).isEqualTo(200);

            postgres.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> text(port, "/healthz").body().equals("ok\n"));
            new ProcessBuilder("kill", "-TERM", Long.toString(jar.process.pid())).inheritIO().start().waitFor();
            assertThat(jar.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);
            output = List.copyOf(jar.output);
        }
        long recorded = output.stream().filter(line -> RUN_LINE.matcher(line).matches()).count();
        assertThat(recorded).isGreaterThan(10);
        assertThat(postgres.runsStored()).isEqualTo(recorded);
        assertThat(output).anyMatch(line -> line.startsWith("The run store failed ("))
                .anyMatch(line -> line.startsWith("The run store is back: writing the "));
    }

    @Test
    void twoReplicasSharingPostgresqlEachShowTheWholeFleetsRunsMarkedWithTheirLocation() throws Exception {
        try (DaemonJar eu = DaemonJar.start("2s", fleetOptions("eu-west"));
                DaemonJar us = DaemonJar.start("2s", fleetOptions("us-east"))) {
            int euPort = eu.awaitPort();
            int usPort = us.awaitPort();
            for (int port : new int[] { euPort, usPort }) {
                // the status page's strip: the fleet's runs, each marked with the replica that ran it
                await().atMost(Duration.ofSeconds(40)).until(() -> text(port, "/status").body(),
                        page -> page.contains("data-location=\"eu-west\"")
                                && page.contains("data-location=\"us-east\""));
            }
            JsonNode runs = get(euPort, HEALTHY).get("runs");
            List<String> locations = new ArrayList<>();
            runs.forEach(run -> locations.add(run.get("location").asText()));
            assertThat(locations).contains("eu-west", "us-east");
            String usRun = null;
            for (JsonNode run : runs) {
                if (run.get("location").asText().equals("us-east")) {
                    usRun = run.get("runId").asText();
                }
            }
            String page = text(euPort, "/status/tests/HealthCheckE2E.healthy/runs/" + usRun).body();
            assertThat(page).contains("<span id=\"location\">us-east</span> <span class=\"muted\">(another "
                    + "replica)</span>");
        }
    }

    private static String[] fleetOptions(String location) {
        return new String[] { "--select-class", "dev.perpetual.daemon.fixtures.HealthCheckE2E", "--config",
                "perpetual.history.url=" + postgres.url(), "--config", "perpetual.history.user=" + PostgresServer.USER,
                "--config", "perpetual.location=" + location, "--config",
                "perpetual.test.HealthCheckE2E.healthy.period=1s" };
    }

    private static JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(text(port, path).body());
    }

    private static HttpResponse<String> text(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}

package dev.perpetual.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The main job as a new user runs it: the real daemon jar on the probe bundle against the running pipeline. Every
 * probe passes at least 3 times within 2 minutes; dropping every delivery makes the probes that need a delivery
 * fail within two periods (and not the one that polls a profile); clearing the fault makes them pass again.
 */
class MainJobIT {

    private static final Set<String> NEED_DELIVERY = Set.of("TrackedEventProbe.trackedEventIsDeliveredProcessed",
            "DuplicateMessageProbe.duplicateIsDeliveredOnce", "FlakyDestinationProbe.eventSurvivesAFlakyDestination",
            "BrowserPageViewProbe.pageViewReachesTheDestination");
    private static final String POLLED = "ProfileProbe.identifyUpdatesTheProfile";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private MainJob job;

    @AfterEach
    void stop() {
        if (job != null) {
            System.out.println("Pipeline stats at the end: " + get(job.pipelineUrl().resolve("/stats")));
            job.close();
        }
    }

    @Test
    void every_probe_passes_then_a_fault_fails_the_right_probes_and_they_recover() throws Exception {
        job = new MainJob(new PrintStream(new OutputStream() { // kept for the asserts, and shown in the report
            @Override
            public void write(int b) {
                output.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                output.write(bytes, offset, length);
                System.out.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8));
        new CommandLine(job).parseArgs("--port", "0", "--pipeline-port", "0",
                "--config", "perpetual.webhooks.port=0",
                "--daemon-jar", System.getProperty("daemon.jar"), "--probes", System.getProperty("probes.bundle"));
        job.start();
        URI daemon = job.daemonUrl(Duration.ofMinutes(1));
        List<String> tests = tests(daemon);
        assertThat(tests).contains(POLLED).containsAll(NEED_DELIVERY.stream()
                .filter(name -> !name.startsWith("Browser") || !printed().contains("no Chromium")).toList());

        await("every probe passing 3 times").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> tests.stream().allMatch(test -> outcomesSince(daemon, test, Instant.EPOCH).stream()
                        .filter("pass"::equals).count() >= 3));

        String metrics = text(daemon.resolve("/metrics"));
        assertThat(metrics).as("the pipeline puts the run's trace context back on its webhooks")
                .containsPattern("perpetual_webhook_context_total\\{channel=\"pipeline\",context=\"kept\"[^}]*\\} [1-9]")
                .doesNotContainPattern("perpetual_webhook_context_total\\{channel=\"pipeline\",context=\"lost\"[^}]*\\} [1-9]");

        assertThat(text(job.pipelineUrl().resolve("/metrics"))).as("the pipeline counts the probes' deliveries as "
                + "test traffic, by the baggage their calls carried")
                .containsPattern("pipeline_deliveries_total\\{result=\"delivered\",tenancy=\"test\"\\} [1-9]");

        Instant faulted = Instant.now();
        send("POST", job.pipelineUrl().resolve("/admin/faults"), "{\"dropPercent\":100}");
        List<String> failing = tests.stream().filter(NEED_DELIVERY::contains).toList();
        await("delivery probes failing").atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1))
                .until(() -> failing.stream().allMatch(test -> outcomesSince(daemon, test, faulted).contains("fail")));
        assertThat(outcomesSince(daemon, POLLED, faulted)).as("the polled probe needs no delivery")
                .doesNotContain("fail", "error", "timeout");
        assertThat(text(job.pipelineUrl().resolve("/metrics"))).as("the drops the probes caused are test traffic's")
                .containsPattern("pipeline_deliveries_total\\{result=\"dropped\",tenancy=\"test\"\\} [1-9]");

        Instant cleared = Instant.now();
        send("DELETE", job.pipelineUrl().resolve("/admin/faults"), null);
        await("delivery probes recovered").atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1))
                .until(() -> failing.stream().allMatch(test -> outcomesSince(daemon, test, cleared).contains("pass")));
        assertThat(printed()).contains("PASS  TrackedEventProbe.trackedEventIsDeliveredProcessed",
                "FAIL  TrackedEventProbe.trackedEventIsDeliveredProcessed");
    }

    private List<String> tests(URI daemon) {
        List<String> names = new ArrayList<>();
        for (JsonNode test : get(daemon.resolve("/api/tests")).path("tests")) {
            names.add(test.path("name").asText());
        }
        return names;
    }

    /** The outcomes of runs of {@code test} that started after {@code since}. */
    private List<String> outcomesSince(URI daemon, String test, Instant since) {
        List<String> outcomes = new ArrayList<>();
        for (JsonNode run : get(daemon.resolve("/api/tests/" + test + "/runs")).path("runs")) {
            if (Instant.parse(run.path("start").asText()).isAfter(since)) {
                outcomes.add(run.path("outcome").asText());
            }
        }
        return outcomes;
    }

    private JsonNode get(URI url) {
        try {
            return json.readTree(http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String text(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void send(String method, URI url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }
}

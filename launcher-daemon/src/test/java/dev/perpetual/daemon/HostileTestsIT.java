package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The real jar on a hostile test beside a harmless one, as issue 12 lists them: exit, halt, a busy loop, a heap leak,
 * huge logs, a file descriptor leak, a console nobody reads and 200 slow clients on the webhook port. Whatever the
 * hostile test does is recorded saying how and by whom, the worker is replaced or recycled, and the harmless test
 * keeps passing on its cadence.
 */
class HostileTestsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURES = "dev.perpetual.daemon.fixtures.";
    /** The harmless neighbour of every hostile test: it must keep passing on its cadence (200ms). */
    private static final String[] HARMLESS = { "--select-method", FIXTURES + "HealthCheckE2E#healthy(dev.perpetual.O)" };

    @Test
    void systemExitInATestIsRecordedWithItsCallerAndTheWorkerIsReplaced() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", beside("ExitE2E"))) {
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
        try (DaemonJar jar = DaemonJar.start("2s", beside("HaltE2E"))) {
            int port = jar.awaitPort();
            JsonNode halt = awaitRun(port, "HaltE2E.halts", "error");
            assertThat(halt.get("message").asText()).isEqualTo("the worker ended with exit code 7 and no shutdown "
                    + "hook ran (Runtime.halt, or a native exit), while running HaltE2E.halts");
            assertHarmlessKeepsPassing(port);
        }
    }

    @Test
    void aTestThatHaltsItsWorkerIsQuarantinedAndTheNeighbourHeldAtEachHaltIsNot() throws Exception {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        try (DaemonJar jar = DaemonJar.start("2s", "--select-class", FIXTURES + "HaltE2E", "--select-class",
                FIXTURES + "NapE2E", "--config", "perpetual.worker.restart-backoff=100ms")) {
            int port = jar.awaitPort();
            await("HaltE2E.halts quarantined").atMost(Duration.ofSeconds(60)).until(() -> workerPids(port, pids)
                    && quarantined(port, "HaltE2E.halts")
                    && sample(scrape(port), "perpetual_worker_quarantined{test=\"HaltE2E.halts\"}") == 1);
            await("NapE2E.naps not quarantined").atMost(Duration.ofSeconds(30)).until(() -> workerPids(port, pids)
                    && !quarantined(port, "NapE2E.naps")
                    && sample(scrape(port), "perpetual_worker_quarantined{test=\"NapE2E.naps\"}") == 0);
            if (jar.output.stream().anyMatch(line -> line.startsWith("Quarantined NapE2E.naps: "))) {
                // Held at each of the three halts, it was quarantined with HaltE2E, and released when HaltE2E,
                // alone in its own worker, halted it again.
                assertThat(jar.output).contains("Released NapE2E.naps from quarantine: HaltE2E.halts ended or "
                        + "wedged its worker on its own (the worker ended with exit code 7 and no shutdown hook ran "
                        + "(Runtime.halt, or a native exit)), so the 3 incidents they shared within an hour count "
                        + "against HaltE2E.halts only. It runs in the shared worker again.");
            }
            long before = passes(port, "NapE2E.naps");
            await("NapE2E.naps passing again").atMost(Duration.ofSeconds(30)).until(() -> workerPids(port, pids)
                    && passes(port, "NapE2E.naps") >= before + 2);
            assertThat(quarantined(port, "NapE2E.naps")).isFalse();
            assertThat(quarantined(port, "HaltE2E.halts")).isTrue();
        }
        assertThat(pids).as("worker JVMs seen").isNotEmpty();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(pids).as("worker JVMs still alive")
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void aBusyLoopIgnoringInterruptsIsNotRestartedWhileItSpinsAndItsWorkerIsRecycled() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", beside("SpinE2E",
                "--config", "perpetual.worker.max-stuck-time=3s"))) {
            int port = jar.awaitPort();
            JsonNode timeout = awaitRun(port, "SpinE2E.spins", "timeout");
            assertThat(timeout.get("message").asText()).contains("SpinE2E.spins timed out after 500ms");
            await().atMost(Duration.ofSeconds(30)).until(() -> scrape(port).contains(
                    "perpetual_worker_restarts_total{reason=\"stuck\"}"));
            double mostStuck = 0;
            for (int second = 0; second < 8; second++) { // one thread spins at a time, whatever the cadence says
                mostStuck = Math.max(mostStuck, sample(scrape(port), "perpetual_threads_stuck"));
                TimeUnit.SECONDS.sleep(1);
            }
            assertThat(mostStuck).as("stuck threads: the spinning one, and one in a worker being killed")
                    .isBetween(1.0, 2.0);
            assertThat(sample(scrape(port), "perpetual_run_skipped_total{reason=\"stuck\",test=\"SpinE2E.spins\"}"))
                    .as("ticks skipped while its thread spun").isPositive();
            assertThat(jar.output).anyMatch(line -> line.startsWith("Recycling worker ")
                    && line.contains("has been stuck longer than 3s (perpetual.worker.max-stuck-time)"));
            assertHarmlessKeepsPassing(port);
        }
    }

    @Test
    void aHeapLeakEndsTheWorkerWhichSaysSoAndANewOneTakesOver() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", beside("LeakE2E",
                "--config", "perpetual.worker.jvm-args=-Xmx64m -XX:+ExitOnOutOfMemoryError",
                "--config", "perpetual.worker.max-heap-ratio=1"))) {
            int port = jar.awaitPort();
            JsonNode oom = awaitRun(port, "LeakE2E.leaks", "error");
            assertThat(oom.get("message").asText()).startsWith("the worker ran out of heap (")
                    .contains(" MiB) and was ended by -XX:+ExitOnOutOfMemoryError, while running ");
            assertThat(scrape(port)).containsPattern("perpetual_worker_restarts_total\\{reason=\"oom\"} [1-9]");
            assertHarmlessKeepsPassing(port);
        }
    }

    @Test
    void aPassingTestThatLogsAndPrints100LinesOf100KiBKeepsPassingAndItsRecordIsBounded() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", beside("LoudE2E"))) {
            int port = jar.awaitPort();
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(port, "LoudE2E.talks").stream()
                    .filter("pass"::equals).count() >= 3);
            String runs = getText(port, "/api/tests/LoudE2E.talks/runs?limit=1");
            JsonNode run = JSON.readTree(runs).get("runs").get(0);
            assertThat(run.get("outcome").asText()).isEqualTo("pass");
            long logBytes = 0;
            for (JsonNode line : run.get("logLines")) {
                logBytes += line.asText().length();
            }
            assertThat(logBytes).as("O.log kept per run (perpetual.log.max-bytes)").isLessThanOrEqualTo(256 * 1024);
            assertThat(run.get("output").asText().length()).as("stdout kept per run")
                    .isBetween(32 * 1024, 80 * 1024);
            assertThat(runs.length()).as("a run's whole record").isLessThan(1024 * 1024);
            assertThat(outcomes(port, "LoudE2E.talks")).containsOnly("pass");
            assertHarmlessKeepsPassing(port);
        }
    }

    @Test
    void aFileDescriptorLeakRecyclesTheWorkerBeforeTheLimit() throws Exception {
        try (DaemonJar jar = DaemonJar.startUnder("ulimit -n 4096", "2s", beside("FileLeakE2E"))) {
            int port = jar.awaitPort();
            await().atMost(Duration.ofSeconds(40)).until(() -> scrape(port).contains(
                    "perpetual_worker_restarts_total{reason=\"files\"}"));
            assertThat(jar.output).anyMatch(line -> line.startsWith("Recycling worker ")
                    && line.contains("files open of at most 4096 (perpetual.worker.max-files-ratio = 0.8)"));
            assertThat(outcomes(port, "FileLeakE2E.leaks")).as("recycled between runs, not under them")
                    .doesNotContain("fail", "timeout");
            assertHarmlessKeepsPassing(port);
        }
    }

    @Test
    void aConsoleNobodyReadsBlocksNoRunAndTheLinesItMissedAreCounted() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", beside("ChattyE2E"))) {
            int port = jar.awaitPort();
            jar.stopReading();
            long before = passes(port);
            await().atMost(Duration.ofSeconds(30)).until(() -> passes(port) >= before + 40); // 200ms each: 8s
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            jar.resumeReading();
            await().atMost(Duration.ofSeconds(30)).until(() -> jar.output.stream().anyMatch(line -> line.matches(
                    "… \\d+ console lines dropped: the console was not read fast enough")));
        }
    }

    @Test
    void webhookProbesKeepPassingWhile200SlowClientsHoldConnectionsToTheWebhookPort() throws Exception {
        try (DaemonJar jar = DaemonJar.start("2s", beside("WebhookE2E"))) {
            int port = jar.awaitPort();
            URI webhooks = URI.create(await().atMost(Duration.ofSeconds(60)).until(
                    () -> get(port, "/api/workers").path("webhooks").asText(null), url -> url != null));
            awaitRun(port, "WebhookE2E.receives", "pass");
            try (SlowClients slow = SlowClients.open(webhooks.getHost(), webhooks.getPort(), 200)) {
                Instant from = Instant.now();
                TimeUnit.SECONDS.sleep(15); // longer than a slow request may take (10s): they reconnect meanwhile
                assertThat(slow.connected()).as("slow connections held").isGreaterThanOrEqualTo(150);
                List<String> during = outcomesSince(port, "WebhookE2E.receives", from);
                assertThat(during).as("webhook probes during the attack").hasSizeGreaterThanOrEqualTo(20)
                        .containsOnly("pass");
            }
        }
    }

    /** The harmless neighbour passes again after the hostile test ended a worker: two more passing runs. */
    private static void assertHarmlessKeepsPassing(int port) throws Exception {
        long before = passes(port);
        await().atMost(Duration.ofSeconds(30)).until(() -> passes(port) >= before + 2);
    }

    /** The harmless test, the hostile {@code fixture} and {@code options}, as the daemon's arguments. */
    private static String[] beside(String fixture, String... options) {
        List<String> args = new ArrayList<>(List.of(HARMLESS));
        args.addAll(List.of("--select-class", FIXTURES + fixture));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    static List<String> outcomes(int port, String test) throws Exception {
        return outcomesSince(port, test, Instant.EPOCH);
    }

    private static List<String> outcomesSince(int port, String test, Instant since) throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (JsonNode run : get(port, "/api/tests/" + test + "/runs").get("runs")) {
            if (Instant.parse(run.get("start").asText()).isAfter(since)) {
                outcomes.add(run.get("outcome").asText());
            }
        }
        return outcomes;
    }

    /** The value of {@code series} (name and labels as scraped), or 0 when absent. */
    static double sample(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
                .findFirst().orElse(0);
    }

    private static long passes(int port) throws Exception {
        return passes(port, "HealthCheckE2E.healthy");
    }

    private static long passes(int port, String test) throws Exception {
        JsonNode runs = get(port, "/api/tests/" + test + "/runs").get("runs");
        long count = 0;
        for (JsonNode run : runs) {
            count += run.get("outcome").asText().equals("pass") ? 1 : 0;
        }
        return count;
    }

    /** Whether {@code /api/tests} says {@code test} runs alone in a worker of its own. */
    private static boolean quarantined(int port, String test) throws Exception {
        for (JsonNode view : get(port, "/api/tests").get("tests")) {
            if (view.get("name").asText().equals(test)) {
                return view.get("quarantined").asBoolean();
            }
        }
        throw new AssertionError(test + " is not in /api/tests");
    }

    /** Adds the pid of each worker {@code /api/workers} lists to {@code pids}; true, to go in a condition. */
    private static boolean workerPids(int port, Set<Long> pids) throws Exception {
        for (JsonNode worker : get(port, "/api/workers").get("workers")) {
            if (worker.hasNonNull("pid")) {
                pids.add(worker.get("pid").asLong());
            }
        }
        return true;
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

    static JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(getText(port, path));
    }

    private static String getText(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static String scrape(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}

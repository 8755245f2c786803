package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.PendingWebhook;
import dev.perpetual.WebhookWaiter;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import dev.perpetual.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Daemons in this JVM on their own ports, sharing a real redis-server, as replicas behind a load balancer: a relay
 * plays the load balancer that sends each run's webhook to another replica than the one waiting for it.
 */
class ScaleOutTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String WAITER = "WaiterTestCase.waitsForItsWebhook";

    private final List<TestDaemon> daemons = new ArrayList<>();
    private Thread relay;

    @BeforeEach
    void clean() {
        redis.start();
        redis.command("FLUSHALL");
        WaiterTestCase.keys.clear();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (relay != null) {
            relay.interrupt();
            relay.join(5000);
        }
        daemons.forEach(TestDaemon::close);
    }

    @Test
    void a_webhook_sent_to_one_replica_wakes_the_waiter_on_another() throws Exception {
        TestDaemon a = replica();
        TestDaemon b = replica();
        relayToAnotherReplica();

        List<RunRecord> onA = a.awaitRuns(WAITER, 2);
        List<RunRecord> onB = b.awaitRuns(WAITER, 2);
        assertThat(Stream.concat(onA.stream(), onB.stream()).map(RunRecord::outcome)).containsOnly(Outcome.PASS);
        assertThat(onA.get(0).webhooks()).singleElement().satisfies(webhook -> {
            assertThat(webhook.deliveries()).isEqualTo(1);
            assertThat(webhook.latency()).get().satisfies(latency -> assertThat(latency).isLessThan(
                    Duration.ofSeconds(2)));
        });
        assertThat(a.scrape()).contains("perpetual_webhook_received_total{channel=\"default\",result=\"matched\"}");
    }

    @Test
    void a_replica_killed_mid_run_loses_no_other_replicas_webhooks() throws Exception {
        TestDaemon a = replica();
        TestDaemon b = replica();
        TestDaemon c = replica();
        relayToAnotherReplica();
        c.awaitRuns(WAITER, 1);

        daemons.remove(c);
        c.daemon.close(); // at once: its runs are cut off and its registrations stay in Redis until they expire
        // A run already going may have had its webhook sent to C just before it died: that one is lost with C, as
        // behind a load balancer until the sender retries. Every run that starts afterwards must pass.
        Instant killed = Instant.now();

        for (TestDaemon survivor : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> startedAfter(survivor, killed).size() >= 2);
            assertThat(startedAfter(survivor, killed)).allSatisfy(run -> assertThat(run.outcome())
                    .as("run %s: %s", run.runId(), run.message()).isEqualTo(Outcome.PASS));
        }
    }

    private static List<RunRecord> startedAfter(TestDaemon daemon, Instant instant) {
        return daemon.runs(WAITER).stream().filter(run -> run.start().isAfter(instant)).toList();
    }

    @Test
    void runs_err_while_redis_is_down_and_pass_again_when_it_returns() throws Exception {
        TestDaemon a = replica();
        TestDaemon b = replica();
        relayToAnotherReplica();
        a.awaitRuns(WAITER, 1);

        redis.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.runs(WAITER).stream()
                .anyMatch(run -> run.outcome() == Outcome.ERROR));
        RunRecord failed = a.runs(WAITER).stream().filter(run -> run.outcome() == Outcome.ERROR).findFirst()
                .orElseThrow();
        assertThat(failed.message()).contains("Redis at " + redis.uri());

        redis.start();
        Instant back = Instant.now();
        await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(a, b).allMatch(daemon -> daemon.runs(WAITER)
                .stream().anyMatch(run -> run.start().isAfter(back) && run.outcome() == Outcome.PASS)));
    }

    @Test
    void once_mode_runs_each_tick_on_one_daemon_and_another_takes_over_when_it_dies() throws Exception {
        String test = "OnceTestCase.tick";
        List<String> once = List.of("--config", "perpetual.cluster.mode=once", "--config",
                "perpetual.redis.uri=" + redis.uri());
        for (int i = 0; i < 3; i++) {
            daemons.add(TestDaemon.scheduling(once, OnceTestCase.class));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> planned(test).size() >= 5);
        assertOncePerSlot(test);
        assertThat(daemons.get(0).scrape() + daemons.get(1).scrape() + daemons.get(2).scrape())
                .contains("reason=\"lease\"");

        TestDaemon dead = daemons.stream().filter(daemon -> !daemon.runs(test).isEmpty()).findFirst().orElseThrow();
        daemons.remove(dead);
        dead.daemon.close();
        Instant killed = Instant.now();

        // Another daemon takes the next slot: a run planned within one period (plus a tick's slack) of the death.
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(test).stream()
                .anyMatch(planned -> planned.isAfter(killed)));
        Instant next = planned(test).stream().filter(planned -> planned.isAfter(killed)).findFirst().orElseThrow();
        assertThat(Duration.between(killed, next)).isLessThanOrEqualTo(OnceTestCase.PERIOD);
        await().atMost(Duration.ofSeconds(10)).until(() -> planned(test).stream()
                .filter(planned -> planned.isAfter(killed)).count() >= 3);
        assertOncePerSlot(test);
    }

    private List<Instant> planned(String test) {
        List<Instant> planned = new ArrayList<>();
        daemons.forEach(daemon -> daemon.runs(test).forEach(run -> planned.add(run.planned())));
        planned.sort(null);
        return planned;
    }

    /** Each planned instant ran on exactly one daemon, and the instants are whole periods apart. */
    private void assertOncePerSlot(String test) {
        List<Instant> planned = planned(test);
        Set<Long> slots = new HashSet<>();
        for (Instant instant : planned) {
            long slot = Math.round(instant.toEpochMilli() / (double) OnceTestCase.PERIOD.toMillis());
            assertThat(slots.add(slot)).as("slot %s ran twice: %s", slot, planned).isTrue();
        }
    }

    private TestDaemon replica() throws Exception {
        TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.webhooks.store=redis",
                "--config", "perpetual.redis.uri=" + redis.uri(), "--config", "perpetual.redis.timeout=500ms"),
                WaiterTestCase.class);
        daemons.add(daemon);
        return daemon;
    }

    /** The load balancer: sends each run's webhook to the next replica after the one that waits for it. */
    private void relayToAnotherReplica() {
        relay = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    String[] expected = WaiterTestCase.keys.poll(100, TimeUnit.MILLISECONDS);
                    if (expected != null) {
                        post(anotherThan(URI.create(expected[1])), expected[0]);
                    }
                }
            }
            catch (InterruptedException e) {
                // stopped
            }
        }, "relay");
        relay.setDaemon(true);
        relay.start();
    }

    private URI anotherThan(URI waiter) {
        List<TestDaemon> live = List.copyOf(daemons);
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i).webhooksUrl().getPort() == waiter.getPort()) {
                return live.get((i + 1) % live.size()).webhooksUrl();
            }
        }
        return live.get(0).webhooksUrl();
    }

    private static void post(URI replica, String key) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(replica + "/webhooks/default"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + key + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the relay is being stopped: it must not outlive its test
        }
        catch (Exception e) {
            // a replica going down: the run that waits fails, which the test sees
        }
    }

    static class WaiterTestCase {
        /** {key, the waiting replica's webhook URL}, for the relay. */
        static final BlockingQueue<String[]> keys = new LinkedBlockingQueue<>();

        // Generous: these tests check routing, not speed, and a replica's first run also connects to Redis.
        @Perpetual(period = "300ms", timeout = "10s")
        void waitsForItsWebhook(WebhookWaiter webhooks, O o) {
            String key = "k-" + o.runId();
            PendingWebhook pending = webhooks.expect(key);
            keys.add(new String[] { key, webhooks.url().toString() });
            pending.await();
        }
    }

    static class OnceTestCase {
        static final Duration PERIOD = Duration.ofMillis(400);

        @Perpetual(period = "400ms", timeout = "1s")
        void tick() {
        }
    }
}

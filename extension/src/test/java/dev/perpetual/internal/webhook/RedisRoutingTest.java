package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.perpetual.PendingWebhook;
import dev.perpetual.ReceivedWebhook;
import dev.perpetual.testing.HoldingProxy;
import dev.perpetual.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two receivers sharing a real Redis, as two replicas behind one load balancer. */
class RedisRoutingTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private Fixture a;
    private Fixture b;

    @BeforeEach
    void replicas() {
        redis.start();
        redis.command("FLUSHALL");
        a = replica();
        b = replica();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private static Fixture replica() {
        return new Fixture("perpetual.webhooks.store", "redis", "perpetual.redis.uri", redis.uri(),
                "perpetual.webhooks.early-retention", "500ms", "perpetual.redis.timeout", "500ms");
    }

    @Test
    void a_webhook_sent_to_replica_b_wakes_the_waiter_on_replica_a_and_only_a_counts_it() {
        RunWebhooks run = a.run("run-1");
        PendingWebhook pending = run.expect("k-1");

        assertThat(b.post("default", "{\"id\":\"k-1\"}", "X-Trace", "t-1")).isEqualTo(200);

        ReceivedWebhook received = pending.await(Duration.ofSeconds(5));
        assertThat(received.body()).isEqualTo("{\"id\":\"k-1\"}");
        assertThat(received.header("x-trace")).contains("t-1");
        assertThat(received.latency()).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(a.received("default", "matched")).isEqualTo(1);
        assertThat(b.received("default", "matched") + b.received("default", "unmatched")).isZero();
        run.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.keys("perpetual:expect:*").isEmpty());
    }

    @Test
    void duplicates_through_another_replica_are_counted_as_on_one_node() {
        RunWebhooks run = a.run("run-1");
        PendingWebhook pending = run.expect("k-2");
        b.post("default", "{\"id\":\"k-2\"}");
        a.post("default", "{\"id\":\"k-2\"}");
        b.post("default", "{\"id\":\"k-2\"}");

        List<ReceivedWebhook> all = pending.awaitCount(3, Duration.ofSeconds(5));
        assertThat(all).hasSize(3);
        assertThat(a.received("default", "matched")).isEqualTo(1);
        assertThat(a.received("default", "duplicate")).isEqualTo(2);
        run.close();
    }

    @Test
    void a_webhook_that_arrives_before_expect_is_kept_for_a_late_expect() {
        b.post("default", "{\"id\":\"early\"}");
        RunWebhooks run = a.run("run-1");
        ReceivedWebhook received = run.expect("early").await(Duration.ofSeconds(5));
        assertThat(received.latency()).isEqualTo(Duration.ZERO);
        assertThat(a.received("default", "matched")).isEqualTo(1);
        run.close();
    }

    @Test
    void a_webhook_nobody_expects_is_counted_unmatched_once_its_retention_passes() {
        b.post("default", "{\"id\":\"nobody\"}");
        assertThat(a.received("default", "unmatched") + b.received("default", "unmatched")).isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.received("default", "unmatched") + b.received("default", "unmatched") == 1);
        assertThat(redis.keys("perpetual:early*")).isEmpty();
        RunWebhooks run = a.run("run-1");
        assertThatThrownBy(() -> run.expect("nobody").await(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class);
        run.close();
    }

    @Test
    void a_key_is_expected_by_one_run_across_the_fleet() {
        RunWebhooks first = a.run("run-1");
        first.expect("k-3");
        RunWebhooks second = b.run("run-2");
        assertThatThrownBy(() -> second.expect("k-3")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Key 'k-3' on channel 'default' is already expected by run run-1 on replica ")
                .hasMessageContaining(", which is still going.");
        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.keys("perpetual:expect:*").isEmpty());
        second.expect("k-3");
        second.close();
    }

    /**
     * Under {@code once}, a test with a fixed key runs on one replica, then another, then the first again; a removal
     * takes only its own run's registration.
     */
    @Test
    void a_key_expected_by_runs_one_after_another_moves_between_replicas() {
        List<Fixture> replicas = List.of(a, a, a, b, a, a, b, b);
        for (int i = 0; i < replicas.size(); i++) {
            Fixture replica = replicas.get(i);
            RunWebhooks run = replica.run("run-" + i);
            PendingWebhook pending = run.expect("k-fixed");
            (replica == a ? b : a).post("default", "{\"id\":\"k-fixed\"}");
            assertThat(pending.await(Duration.ofSeconds(5)).key()).isEqualTo("k-fixed");
            run.close();
            if (i + 1 < replicas.size() && replicas.get(i + 1) != replica) { // a period later, in a real fleet
                await().atMost(Duration.ofSeconds(5)).until(() -> redis.keys("perpetual:expect:*").isEmpty());
            }
        }
        assertThat(a.received("default", "matched") + b.received("default", "matched")).isEqualTo(replicas.size());
    }

    @Test
    void registrations_expire_with_the_run_deadline_even_when_the_replica_never_says_goodbye() {
        RunWebhooks run = a.run("run-1", Instant.now().plusSeconds(5));
        run.expect("k-4");
        long ttl = Long.parseLong(redis.command("PTTL", "perpetual:expect:default:k-4"));
        assertThat(ttl).isBetween(60_000L, 66_000L);
    }

    /**
     * The routed delivery is sent over a raw socket with {@code Expect: 100-continue}: the {@code 100} says the
     * receiver's only thread is in that delivery's handler, waiting for its body, so the other delivery can only be
     * read once that handler has let go of the thread.
     */
    @Test
    void a_delivery_waiting_on_a_frozen_redis_holds_up_no_other_delivery_on_the_same_receiver() throws Exception {
        try (Fixture patient = new Fixture("perpetual.webhooks.store", "redis", "perpetual.redis.uri", redis.uri(),
                "perpetual.redis.timeout", "10s"); Socket routed = new Socket()) {
            RunWebhooks run = patient.run("run-1");
            PendingWebhook local = run.expect("k-local");
            URI url = patient.url("default");
            routed.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
            routed.setSoTimeout(15_000);
            BufferedReader answers = new BufferedReader(new InputStreamReader(routed.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = routed.getOutputStream();
            byte[] body = "{\"id\":\"k-elsewhere\"}".getBytes(StandardCharsets.US_ASCII);
            redis.pause();
            try {
                out.write(("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                        + body.length + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(answers.readLine()).startsWith("HTTP/1.1 100");
                out.write(body);
                out.flush();

                assertThat(patient.post("default", "{\"id\":\"k-local\"}")).isEqualTo(200);
                assertThat(local.await(Duration.ofSeconds(5)).key()).isEqualTo("k-local");
            }
            finally {
                redis.resume();
            }
            String status;
            do {
                status = answers.readLine();
            }
            while (status != null && !status.startsWith("HTTP/1.1 2") && !status.startsWith("HTTP/1.1 5"));
            assertThat(status).as("answered once Redis took it").startsWith("HTTP/1.1 200");
            run.close();
        }
    }

    /**
     * A slow network: replica A's inbox read is answered, but the answer is held on the way until A's client has given
     * up on it. What it carried is read again, not lost.
     */
    @Test
    void a_delivery_in_an_answer_that_came_after_the_inbox_gave_up_is_read_again() {
        try (HoldingProxy slow = new HoldingProxy(redis.port());
                Fixture behindSlowNetwork = new Fixture("perpetual.webhooks.store", "redis", "perpetual.redis.uri",
                        "redis://127.0.0.1:" + slow.port(), "perpetual.redis.timeout", "500ms")) {
            RunWebhooks run = behindSlowNetwork.run("run-1");
            PendingWebhook warmUp = run.expect("k-0");
            b.post("default", "{\"id\":\"k-0\"}");
            warmUp.await(Duration.ofSeconds(5)); // the inbox read is going
            PendingWebhook pending = run.expect("k-1");
            long heldAt = System.nanoTime();
            slow.hold();
            try {
                assertThat(b.post("default", "{\"id\":\"k-1\"}")).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> behindSlowNetwork.receiver.routing
                        .troubleSince(heldAt).filter(trouble -> trouble.contains("1500 millisecond")).isPresent());
            }
            finally {
                slow.release();
            }
            assertThat(pending.await(Duration.ofSeconds(10)).key()).isEqualTo("k-1");
            assertThat(behindSlowNetwork.received("default", "matched")).isEqualTo(2);
            assertThat(behindSlowNetwork.received("default", "duplicate")).isZero();
            run.close();
        }
    }

    @Test
    void redis_down_errs_the_runs_that_need_it_and_they_recover_when_it_returns() {
        RunWebhooks before = a.run("run-1");
        PendingWebhook live = before.expect("k-live");

        redis.stop();
        RunWebhooks during = a.run("run-2");
        assertThatThrownBy(() -> during.expect("k-down")).isInstanceOf(RoutingException.class)
                .isNotInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Webhook routing through Redis at " + redis.uri()
                        + " (perpetual.webhooks.store=redis) failed while expecting key 'k-down' on channel 'default'");
        assertThat(b.post("default", "{\"id\":\"k-live\"}")).as("not received: the sender retries").isEqualTo(503);
        assertThatThrownBy(() -> live.await(Duration.ofMillis(300))).isInstanceOf(RoutingException.class)
                .hasMessageContaining("meanwhile Redis at " + redis.uri() + " failed");
        during.close();

        redis.start(); // empty: it forgot every registration
        // Lettuce reconnects with an exponential delay of its own: seconds on a loaded machine.
        await().atMost(Duration.ofSeconds(30)).until(() -> !redis.keys("perpetual:expect:default:k-live").isEmpty());
        assertThat(b.post("default", "{\"id\":\"k-live\"}")).isEqualTo(200);
        assertThat(live.await(Duration.ofSeconds(5)).key()).isEqualTo("k-live");
        RunWebhooks after = a.run("run-3");
        PendingWebhook again = after.expect("k-after");
        b.post("default", "{\"id\":\"k-after\"}");
        assertThat(again.await(Duration.ofSeconds(5)).key()).isEqualTo("k-after");
        before.close();
        after.close();
    }
}

package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.perpetual.PendingWebhook;
import dev.perpetual.ReceivedWebhook;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The receiver over real loopback HTTP: what it answers, what it counts, and what a waiting test sees. */
class WebhookReceiverTest {

    private Fixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Fixture start(String... config) {
        fixture = new Fixture(config);
        return fixture;
    }

    private String meanwhile(String channel, String counts) {
        return "Meanwhile: " + counts + ". Is the system under test delivering to " + fixture.url(channel) + "?";
    }

    @Nested
    class Delivering {

        @Test
        void a_delivery_for_an_expected_key_is_answered_200_and_ends_the_wait() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");

            int status = fixture.post("default", "{\"type\":\"order.created\",\"id\":\"k-1\"}", "X-Trace", "t-9");
            ReceivedWebhook received = pending.await();

            assertThat(status).isEqualTo(200);
            assertThat(received.key()).isEqualTo("k-1");
            assertThat(received.channel()).isEqualTo("default");
            assertThat(received.body()).isEqualTo("{\"type\":\"order.created\",\"id\":\"k-1\"}");
            assertThat(received.bodyBytes()).isEqualTo(received.body().getBytes(StandardCharsets.UTF_8));
            assertThat(received.header("x-TRACE")).contains("t-9");
            assertThat(received.headers()).containsEntry("x-trace", List.of("t-9"));
            assertThat(received.headers().keySet()).allMatch(name -> name.equals(name.toLowerCase()));
            assertThat(received.latency()).isPositive();
            assertThat(received.receivedAt()).isBeforeOrEqualTo(Instant.now());
        }

        @Test
        void received_webhooks_are_immutable() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");
            fixture.post("default", "{\"id\":\"k-1\"}");
            ReceivedWebhook received = pending.await();

            received.bodyBytes()[0] = 'X';

            assertThat(received.body()).isEqualTo("{\"id\":\"k-1\"}");
            assertThatThrownBy(() -> received.headers().put("x", List.of())).isInstanceOf(
                    UnsupportedOperationException.class);
        }

        @Test
        void a_delivery_that_came_before_await_is_kept() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("orders", "k-1");
            fixture.post("orders", "{\"id\":\"k-1\"}");

            assertThat(pending.await(Duration.ZERO).channel()).isEqualTo("orders");
        }

        @Test
        void a_numeric_key_matches_its_text() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("42");
            fixture.post("default", "{\"id\": 42}");

            assertThat(pending.await().key()).isEqualTo("42");
        }

        @Test
        void duplicates_are_kept_and_counted() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");
            fixture.post("default", "{\"id\":\"k-1\",\"attempt\":1}");
            fixture.post("default", "{\"id\":\"k-1\",\"attempt\":2}");

            List<ReceivedWebhook> both = pending.awaitCount(2);

            assertThat(both).extracting(ReceivedWebhook::body).containsExactly("{\"id\":\"k-1\",\"attempt\":1}",
                    "{\"id\":\"k-1\",\"attempt\":2}");
            assertThat(pending.received()).hasSize(2);
            assertThat(fixture.received("default", "matched")).isEqualTo(1);
            assertThat(fixture.received("default", "duplicate")).isEqualTo(1);
            assertThat(run.report()).singleElement().satisfies(webhook -> {
                assertThat(webhook.channel()).isEqualTo("default");
                assertThat(webhook.key()).isEqualTo("k-1");
                assertThat(webhook.deliveries()).isEqualTo(2);
                assertThat(webhook.latency()).isEqualTo(Optional.of(both.get(0).latency()));
            });
        }

        @Test
        void a_delivery_for_an_unknown_key_is_answered_200_and_counted_as_unmatched() {
            start();

            assertThat(fixture.post("default", "{\"id\":\"nobody-expects-me\"}")).isEqualTo(200);
            assertThat(fixture.received("default", "unmatched")).isEqualTo(1);
        }

        @Test
        void a_chunked_body_is_read() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");
            byte[] body = "{\"id\":\"k-1\"}".getBytes(StandardCharsets.UTF_8);

            int status = fixture.send("default", "POST",
                    BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

            assertThat(status).isEqualTo(200);
            assertThat(pending.await().bodyBytes()).isEqualTo(body);
        }

        @Test
        void a_pool_of_threads_serves_as_well() {
            RunWebhooks run = start("perpetual.webhooks.threads", "2").run("r-1");
            PendingWebhook pending = run.expect("k-1");
            fixture.post("default", "{\"id\":\"k-1\"}");

            assertThat(pending.await().key()).isEqualTo("k-1");
        }

        @Test
        void a_fixed_port_still_held_by_the_worker_being_replaced_is_taken_once_it_is_free() throws Exception {
            java.net.ServerSocket previous = new java.net.ServerSocket(0);
            int port = previous.getLocalPort();
            Thread release = new Thread(() -> {
                try {
                    java.util.concurrent.TimeUnit.MILLISECONDS.sleep(500);
                    previous.close();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            try {
                RunWebhooks run = start("perpetual.webhooks.port", Integer.toString(port)).run("r-1");
                assertThat(fixture.url("default").toString()).contains(":" + port + "/");
                PendingWebhook pending = run.expect("k-1");
                fixture.post("default", "{\"id\":\"k-1\"}");
                assertThat(pending.await().key()).isEqualTo("k-1");
            }
            finally {
                release.join();
                previous.close();
            }
        }

        @Test
        void latency_is_timed_per_test_and_channel_and_deliveries_are_counted_per_channel_and_result() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("orders", "k-1");
            fixture.post("orders", "{\"id\":\"k-1\"}");
            pending.await();

            Timer latency = fixture.tests.find("perpetual.webhook.latency").tag("channel", "orders").timer();
            assertThat(latency).isNotNull();
            assertThat(latency.count()).isEqualTo(1);
            assertThat(latency.takeSnapshot().histogramCounts()).hasSize(13);
            assertThat(fixture.received("orders", "matched")).isEqualTo(1);
            assertThat(fixture.session.get("perpetual.webhook.received").counter().getId().getBaseUnit())
                    .as("Prometheus would append a base unit to perpetual_webhook_received_total").isNull();
        }
    }

    @Nested
    class Failing {

        @Test
        void a_failed_await_says_what_arrived_meanwhile_and_where_it_listens() {
            RunWebhooks run = start().run("r-1");
            fixture.post("default", "{\"id\":\"before-expect\"}");
            PendingWebhook pending = run.expect("k-42");
            fixture.post("default", "{\"id\":\"k-16\"}");
            fixture.post("default", "{\"id\":\"k-17\"}");

            assertThatThrownBy(() -> pending.await(Duration.ofMillis(50))).isInstanceOf(AssertionFailedError.class)
                    .hasMessage("No webhook with key 'k-42' on channel 'default' within 50ms. "
                            + meanwhile("default", "2 unmatched (last key 'k-17'), 0 duplicates, 0 rejected"));
        }

        @Test
        void await_never_waits_past_the_run_deadline() {
            RunWebhooks run = start().run("r-1", Instant.now().minusSeconds(1));
            PendingWebhook pending = run.expect("k-42");

            assertThatThrownBy(() -> pending.await(Duration.ofMinutes(5)))
                    .hasMessage("No webhook with key 'k-42' on channel 'default' within 0s (run deadline). "
                            + meanwhile("default", "0 unmatched, 0 duplicates, 0 rejected"));
            assertThatThrownBy(pending::await)
                    .hasMessage("No webhook with key 'k-42' on channel 'default' within 0s (run deadline). "
                            + meanwhile("default", "0 unmatched, 0 duplicates, 0 rejected"));
        }

        @Test
        void await_ends_at_the_run_deadline() {
            RunWebhooks run = start().run("r-1", Instant.now().plusMillis(200));
            PendingWebhook pending = run.expect("k-42");
            long start = System.nanoTime();

            assertThatThrownBy(pending::await).isInstanceOf(AssertionFailedError.class)
                    .hasMessageEndingWith("ms (run deadline). "
                            + meanwhile("default", "0 unmatched, 0 duplicates, 0 rejected"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
                    Duration.ofSeconds(5));
        }

        @Test
        void await_count_says_how_many_of_how_many_arrived() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");
            fixture.post("default", "{\"id\":\"k-1\"}");

            assertThatThrownBy(() -> pending.awaitCount(2, Duration.ofMillis(30)))
                    .hasMessage("Only 1 of 2 webhooks with key 'k-1' on channel 'default' within 30ms. "
                            + meanwhile("default", "0 unmatched, 0 duplicates, 0 rejected"));
        }

        @Test
        void a_delivery_without_a_key_is_unmatched_with_its_reason() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-42");

            assertThat(fixture.post("default", "{\"order\":\"o-1\"}")).isEqualTo(200);

            assertThatThrownBy(() -> pending.await(Duration.ZERO))
                    .hasMessage("No webhook with key 'k-42' on channel 'default' within 0s. " + meanwhile("default",
                            "1 unmatched (last without a key: no string or number at JSON pointer /id), "
                                    + "0 duplicates, 0 rejected"));
        }

        @Test
        void invalid_json_is_answered_200_and_counted_as_unmatched_with_the_reason() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-42");

            assertThat(fixture.post("default", "{\"id\" \"k-42\"}")).isEqualTo(200);

            assertThat(fixture.received("default", "unmatched")).isEqualTo(1);
            assertThatThrownBy(() -> pending.await(Duration.ZERO))
                    .hasMessage("No webhook with key 'k-42' on channel 'default' within 0s. " + meanwhile("default",
                            "1 unmatched (last without a key: invalid JSON: Unexpected character ('\"' (code 34)): "
                                    + "was expecting a colon to separate field name and value at byte 6), "
                                    + "0 duplicates, 0 rejected"));
        }

        @Test
        void an_interrupted_await_ends_at_once_with_the_interruption() throws Exception {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-42");
            Waiting test = Waiting.on(pending);

            test.thread.interrupt();
            test.thread.join(5_000);

            assertThat(test.thread.isAlive()).isFalse();
            assertThat(test.thrown).isInstanceOf(InterruptedException.class);
            assertThat(test.stillInterrupted).isTrue();
        }

        @Test
        void a_wait_still_going_when_the_run_ends_ends_too() throws Exception {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-42");
            Waiting test = Waiting.on(pending);

            run.close();
            test.thread.join(5_000);

            assertThat(test.thrown).hasMessage("No webhook with key 'k-42' on channel 'default' before the run ended. "
                    + meanwhile("default", "0 unmatched, 0 duplicates, 0 rejected"));
        }
    }

    @Nested
    class AtMost {

        @Test
        void assert_at_most_waits_the_window_and_returns_what_arrived() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");
            fixture.post("default", "{\"id\":\"k-1\"}");
            long start = System.nanoTime();

            List<ReceivedWebhook> received = pending.assertAtMost(1, Duration.ofMillis(100));

            assertThat(received).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }

        @Test
        void assert_at_most_fails_as_soon_as_one_more_arrives() {
            RunWebhooks run = start().run("r-1");
            PendingWebhook pending = run.expect("k-1");
            fixture.post("default", "{\"id\":\"k-1\"}");
            fixture.post("default", "{\"id\":\"k-1\"}");
            long start = System.nanoTime();

            assertThatThrownBy(() -> pending.assertAtMost(1, Duration.ofSeconds(10)))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessage("Expected at most 1 webhook with key 'k-1' on channel 'default' within 10s, but 2 "
                            + "arrived.");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Nested
    class BadInput {

        @Test
        void a_body_over_max_body_is_answered_413_and_counted_as_rejected() {
            start("perpetual.webhooks.max-body", "16");

            assertThat(fixture.post("default", "{\"id\":\"k-12345\"}")).as("16 bytes").isEqualTo(200);
            assertThat(fixture.post("default", "{\"id\":\"k-123456\"}")).as("17 bytes").isEqualTo(413);
            assertThat(fixture.received("default", "rejected")).isEqualTo(1);
        }

        @Test
        void a_chunked_body_over_max_body_is_answered_413() {
            start("perpetual.webhooks.max-body", "1KiB");
            byte[] body = new byte[8 * 1024];

            int status = fixture.send("default", "POST",
                    BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

            assertThat(status).isEqualTo(413);
        }

        @Test
        void a_method_other_than_post_is_answered_405() {
            start();

            assertThat(fixture.send("default", "GET", BodyPublishers.noBody())).isEqualTo(405);
            assertThat(fixture.send("default", "PUT", BodyPublishers.ofString("{}"))).isEqualTo(405);
            assertThat(fixture.received("default", "rejected")).isEqualTo(2);
        }

        @Test
        void a_channel_name_that_would_be_an_unbounded_label_is_answered_404() throws Exception {
            start();
            String base = fixture.url("default").toString().replace("/webhooks/default", "");

            for (String path : List.of("/webhooks/bad%20name", "/webhooks/a/b", "/webhooks/", "/webhooks/"
                    + "x".repeat(65), "/other")) {
                int status = Fixture.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(base + path))
                        .POST(BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                assertThat(status).as(path).isEqualTo(404);
            }
            assertThat(fixture.post("a.b_c-D9", "{}")).isEqualTo(200);
        }

        @Test
        void channels_are_bounded_so_that_senders_cannot_grow_the_metrics_without_end() {
            RunWebhooks run = start().run("r-1");
            for (int i = 1; i < WebhookReceiver.MAX_CHANNELS; i++) { // the default channel is the first
                run.expect("c" + i, "k-1");
            }

            assertThat(fixture.post("one-too-many", "{}")).isEqualTo(404);
            assertThatThrownBy(() -> run.expect("one-too-many", "k-1")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Too many webhook channels: at most 256, [one-too-many] would be one more");
            assertThat(fixture.post("c1", "{\"id\":\"k-1\"}")).isEqualTo(200);
        }

        @Test
        void an_invalid_channel_name_is_refused_to_the_test() {
            RunWebhooks run = start().run("r-1");

            assertThatThrownBy(() -> run.expect("bad name", "k-1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Invalid webhook channel [bad name]: expected 1 to 64 characters of A-Z, a-z, 0-9, "
                            + "'_', '.' and '-'");
        }
    }

    @Nested
    @DisplayName("Standard Webhooks signatures")
    class Signed {

        private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
                "a secret of thirty-two bytes....".getBytes(StandardCharsets.UTF_8));

        private String[] signed(String id, long timestamp, String body, String secret) {
            Signatures signatures = Signatures.of("test", secret);
            String signature = Base64.getEncoder().encodeToString(
                    signatures.sign(id, Long.toString(timestamp), body.getBytes(StandardCharsets.UTF_8)));
            return new String[] { "webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", "v1,bm90IGl0 v1," + signature };
        }

        @Test
        void a_correctly_signed_delivery_is_accepted() {
            RunWebhooks run = start("perpetual.webhooks.secret", SECRET).run("r-1");
            PendingWebhook pending = run.expect("k-1");
            String body = "{\"id\":\"k-1\"}";

            assertThat(fixture.post("default", body, signed("msg_1", now(), body, SECRET))).isEqualTo(200);
            assertThat(pending.await().header("webhook-id")).contains("msg_1");
        }

        @Test
        void a_bad_signature_is_answered_401_and_counted_as_rejected() {
            RunWebhooks run = start("perpetual.webhooks.secret", SECRET).run("r-1");
            PendingWebhook pending = run.expect("k-1");
            String body = "{\"id\":\"k-1\"}";
            String otherSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

            assertThat(fixture.post("default", body, signed("msg_1", now(), body, otherSecret))).isEqualTo(401);
            assertThat(fixture.post("default", body, signed("msg_1", now(), "{\"id\":\"k-2\"}", SECRET)))
                    .as("signed another body").isEqualTo(401);
            assertThat(fixture.post("default", body, signed("msg_1", now() - 301, body, SECRET)))
                    .as("too old").isEqualTo(401);
            assertThat(fixture.received("default", "rejected")).isEqualTo(3);
            assertThatThrownBy(() -> pending.await(Duration.ZERO)).hasMessage(
                    "No webhook with key 'k-1' on channel 'default' within 0s. "
                            + meanwhile("default", "0 unmatched, 0 duplicates, 3 rejected"));
        }

        @Test
        void a_missing_signature_is_answered_401() {
            start("perpetual.webhooks.secret", SECRET);

            assertThat(fixture.post("default", "{\"id\":\"k-1\"}")).isEqualTo(401);
            assertThat(fixture.received("default", "rejected")).isEqualTo(1);
        }

        private long now() {
            return System.currentTimeMillis() / 1000;
        }
    }

    @Nested
    class Keys {

        @Test
        void a_header_key_is_read_from_the_header() {
            RunWebhooks run = start("perpetual.webhooks.key", "header:X-Correlation-Id").run("r-1");
            PendingWebhook pending = run.expect("k-1");

            fixture.post("default", "not json at all", "x-correlation-id", "k-1");

            assertThat(pending.await().body()).isEqualTo("not json at all");
        }

        @Test
        void a_regex_key_is_its_group() {
            RunWebhooks run = start("perpetual.webhooks.key", "regex:ref=(\\w+)").run("r-1");
            PendingWebhook pending = run.expect("k1");

            fixture.post("default", "status=paid&ref=k1&x=y");

            assertThat(pending.await().key()).isEqualTo("k1");
        }

        @Test
        void a_channel_has_its_own_key_over_the_general_one() {
            Fixture f = start("perpetual.webhooks.channels.payments.key", "json:/data/payment/ref");
            RunWebhooks run = f.run("r-1");
            PendingWebhook payment = run.expect("payments", "p-1");
            PendingWebhook order = run.expect("orders", "o-1");

            fixture.post("payments", "{\"id\":\"evt-1\",\"data\":{\"payment\":{\"ref\":\"p-1\"}}}");
            fixture.post("orders", "{\"id\":\"o-1\",\"data\":{}}");

            assertThat(payment.await().key()).isEqualTo("p-1");
            assertThat(order.await().key()).isEqualTo("o-1");
        }
    }

    @Nested
    class Runs {

        @Test
        void an_expectation_is_removed_when_its_run_ends() {
            RunWebhooks first = start().run("r-1");
            first.expect("k-1");
            first.close();

            fixture.post("default", "{\"id\":\"k-1\"}");

            assertThat(fixture.receiver.channel("default").expectations).isEmpty();
            assertThat(fixture.received("default", "unmatched")).isEqualTo(1);
            assertThat(fixture.run("r-2").expect("k-1").key()).isEqualTo("k-1");
        }

        @Test
        void a_key_expected_by_another_live_run_is_refused_naming_that_run() {
            Fixture f = start();
            f.run("r-1").expect("k-1");

            assertThatThrownBy(() -> f.receiver.openRun("Other.test", "r-2", Instant.now().plusSeconds(5), f.tests)
                    .expect("k-1")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Key 'k-1' on channel 'default' is already expected by run r-1 of Probe.test, which "
                            + "is still going. A key must be unique among the runs going at once: put the run id "
                            + "(O.runId()) into it.");
        }

        @Test
        void expecting_the_same_key_twice_in_one_run_gives_the_same_expectation() {
            RunWebhooks run = start().run("r-1");

            assertThat(run.expect("k-1")).isSameAs(run.expect("default", "k-1"));
            assertThat(run.report()).hasSize(1);
        }

        @Test
        void concurrent_runs_each_receive_their_own_deliveries() throws Exception {
            Fixture f = start();
            List<Thread> threads = new java.util.ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 8; i++) {
                String runId = "r-" + i;
                threads.add(new Thread(() -> {
                    try (RunWebhooks run = f.run(runId)) {
                        PendingWebhook pending = run.expect(runId + "-k");
                        f.post("default", "{\"id\":\"" + runId + "-k\",\"run\":\"" + runId + "\"}");
                        assertThat(pending.await().body()).contains("\"run\":\"" + runId + "\"");
                    }
                    catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(10_000);
            }

            assertThat(failures).isEmpty();
            assertThat(f.received("default", "matched")).isEqualTo(8);
            assertThat(f.receiver.channel("default").expectations).isEmpty();
        }

        @Test
        void an_ended_run_cannot_expect() {
            RunWebhooks run = start().run("r-1");
            run.close();

            assertThatThrownBy(() -> run.expect("k-1")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Run r-1 of Probe.test has ended; it cannot expect webhooks.");
        }

        @Test
        void a_closed_receiver_ends_waits_and_refuses_new_expectations() throws Exception {
            RunWebhooks run = start().run("r-1");
            Waiting test = Waiting.on(run.expect("k-42"));

            fixture.receiver.close();
            test.thread.join(5_000);

            assertThat(test.thrown).isInstanceOf(AssertionFailedError.class)
                    .hasMessageStartingWith("No webhook with key 'k-42' on channel 'default' before the run ended.");
            assertThatThrownBy(() -> run.expect("k-43")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("The webhook receiver is closed: the launcher session has ended");
        }

        @Test
        void the_report_lists_each_expectation_with_or_without_deliveries() {
            RunWebhooks run = start().run("r-1");
            run.expect("k-1");
            run.expect("orders", "k-2");
            fixture.post("orders", "{\"id\":\"k-2\"}");
            await().until(() -> run.report().get(1).deliveries() == 1);

            List<RunReport.Webhook> report = run.report();

            assertThat(report.get(0)).isEqualTo(new RunReport.Webhook("default", "k-1", 0, Optional.empty()));
            assertThat(report.get(1).key()).isEqualTo("k-2");
            assertThat(report.get(1).latency()).isPresent();
        }
    }

    @Nested
    class Urls {

        @Test
        void the_url_is_the_bound_address_with_loopback_for_the_wildcard() {
            start("perpetual.webhooks.bind-address", "0.0.0.0");

            assertThat(fixture.url("orders").toString()).matches("http://127\\.0\\.0\\.1:\\d+/webhooks/orders");
            assertThat(fixture.run("r-1").url()).isEqualTo(fixture.url("default"));
            assertThat(fixture.post("default", "{}")).isEqualTo(200);
        }

        @Test
        void the_public_url_wins_when_set() {
            RunWebhooks run = start("perpetual.webhooks.public-url", "https://probes.example.com/perpetual/").run(
                    "r-1");

            assertThat(run.url()).isEqualTo(URI.create("https://probes.example.com/perpetual/webhooks/default"));
            assertThat(run.url("orders")).isEqualTo(URI.create("https://probes.example.com/perpetual/webhooks/orders"));
        }
    }

    /** A test thread blocked in {@link PendingWebhook#await()}, and how its wait ended. */
    private static final class Waiting {
        final Thread thread;
        volatile Throwable thrown;
        volatile boolean stillInterrupted;

        private Waiting(PendingWebhook pending) {
            thread = new Thread(() -> {
                try {
                    pending.await();
                }
                catch (Throwable t) {
                    thrown = t;
                    stillInterrupted = Thread.currentThread().isInterrupted();
                }
            });
        }

        static Waiting on(PendingWebhook pending) {
            Waiting waiting = new Waiting(pending);
            waiting.thread.start();
            await().until(() -> waiting.thread.getState() == Thread.State.TIMED_WAITING);
            return waiting;
        }
    }
}

package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.perpetual.PendingWebhook;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.spi.WebhookEndpoint;
import dev.perpetual.spi.WebhookRouter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two receivers behind one host router, as two workers of one daemon share the webhook port: a delivery that
 * reaches the one whose runs do not expect it is handed to the other.
 */
class HostRoutingTest {

    /** Which receiver expects each channel/key: what the supervisor keeps for its workers. */
    private final Map<String, WebhookEndpoint> owners = new ConcurrentHashMap<>();
    private final List<Host> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stopHosts() {
        hosts.forEach(Host::stop);
    }

    @Test
    void a_delivery_that_reaches_the_other_process_is_routed_to_the_run_that_expects_it() {
        try (Fixture a = new Fixture(Optional.of(new Host(this, "a")));
                Fixture b = new Fixture(Optional.of(new Host(this, "b")))) {
            PendingWebhook pending = b.run("r-b").expect("k-1");

            assertThat(a.post("default", "{\"id\":\"k-1\"}", "X-Trace", "t-1")).isEqualTo(200);
            assertThat(pending.await(Duration.ofSeconds(5)).header("x-trace")).contains("t-1");
            assertThat(a.received("default", "unmatched")).isZero();
        }
    }

    @Test
    void a_key_expected_by_the_other_process_is_refused_with_the_hosts_words() {
        try (Fixture a = new Fixture(Optional.of(new Host(this, "a")));
                Fixture b = new Fixture(Optional.of(new Host(this, "b")))) {
            b.run("r-b").expect("k-2");

            assertThatThrownBy(() -> a.run("r-a").expect("k-2")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Key 'k-2' on channel 'default' is already expected by b");
        }
    }

    @Test
    void a_host_that_does_not_answer_makes_the_expectation_fail_as_the_probes_trouble() {
        Host silent = new Host(this, "a") {
            @Override
            public void expect(String channel, String key, String runId) {
                throw new RuntimeException("no answer from the supervisor within 5s");
            }
        };
        try (Fixture a = new Fixture(Optional.of(silent))) {
            assertThatThrownBy(() -> a.run("r-a").expect("k-3")).isInstanceOf(RoutingException.class)
                    .hasMessage("Expecting key 'k-3' on channel 'default': the daemon that routes webhooks between "
                            + "its workers did not answer (no answer from the supervisor within 5s)");
        }
    }

    @Test
    void a_routed_delivery_whose_run_has_ended_is_counted_unmatched_where_it_arrives() {
        try (Fixture b = new Fixture(Optional.of(new Host(this, "b")))) {
            WebhookEndpoint endpoint = owners.values().iterator().next();
            boolean taken = endpoint.deliverRouted("default", "gone", new byte[0], Map.of(), Instant.now());

            assertThat(taken).isFalse();
            assertThat(b.received("default", "unmatched")).isEqualTo(1);
        }
    }

    /** One process's host: serves its receiver on the JDK server and routes through the test's owner table. */
    private static class Host implements PerpetualHost, WebhookRouter {
        private final HostRoutingTest table;
        private final String name;
        private WebhookEndpoint endpoint;
        private com.sun.net.httpserver.HttpServer server;

        Host(HostRoutingTest table, String name) {
            this.table = table;
            this.name = name;
            table.hosts.add(this);
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
        }

        @Override
        public MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Override
        public URI serveWebhooks(WebhookEndpoint served) {
            endpoint = served;
            table.owners.put("endpoint:" + name, served);
            try {
                server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server.createContext("/webhooks/", served.httpHandler());
            server.start();
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public Optional<WebhookRouter> webhookRouter() {
            return Optional.of(this);
        }

        @Override
        public void expect(String channel, String key, String runId) {
            WebhookEndpoint owner = table.owners.putIfAbsent(channel + "/" + key, endpoint);
            if (owner != null && owner != endpoint) {
                throw new IllegalStateException("Key '" + key + "' on channel '" + channel
                        + "' is already expected by " + (owner == table.owners.get("endpoint:a") ? "a" : "b"));
            }
        }

        @Override
        public void unexpect(String channel, String key, String runId) {
            table.owners.remove(channel + "/" + key, endpoint);
        }

        @Override
        public CompletionStage<Integer> route(String channel, String key, byte[] body,
                Map<String, List<String>> headers) {
            WebhookEndpoint owner = table.owners.get(channel + "/" + key);
            if (owner != null) {
                owner.deliverRouted(channel, key, body, headers, Instant.now());
            }
            return CompletableFuture.completedFuture(200);
        }

        @Override
        public void runFinished(RunReport report) {
        }
    }
}

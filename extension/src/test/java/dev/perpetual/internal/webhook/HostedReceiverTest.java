package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.PendingWebhook;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.spi.WebhookEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Under a host (the daemon) the receiver is served on the host's port and leaves the host's server alone. */
class HostedReceiverTest {

    private final Host host = new Host();

    @AfterEach
    void stopHost() {
        host.server.stop(0);
    }

    @Test
    void the_host_serves_the_receiver_and_its_url_is_the_hosts() {
        try (Fixture fixture = new Fixture(Optional.of(host))) {
            RunWebhooks run = fixture.run("r-1");
            PendingWebhook pending = run.expect("k-1");

            assertThat(run.url()).isEqualTo(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/default"));
            assertThat(fixture.post("default", "{\"id\":\"k-1\"}")).isEqualTo(200);
            assertThat(pending.await().key()).isEqualTo("k-1");
        }
    }

    @Test
    void a_closed_receiver_answers_503_on_the_hosts_port_which_stays_up() {
        Fixture fixture = new Fixture(Optional.of(host));
        fixture.close();

        assertThat(fixture.post("default", "{\"id\":\"k-1\"}")).isEqualTo(503);
    }

    /** A stand-in for the daemon: its own server, with the receiver's handler under {@code /webhooks/}. */
    private static final class Host implements PerpetualHost {
        final HttpServer server;

        Host() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Override
        public URI serveWebhooks(WebhookEndpoint endpoint) {
            server.createContext("/webhooks/", endpoint.httpHandler());
            return URI.create("http://127.0.0.1:" + port() + "/");
        }

        @Override
        public void runFinished(RunReport report) {
        }
    }
}

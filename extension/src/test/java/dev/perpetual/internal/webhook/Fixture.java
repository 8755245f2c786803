package dev.perpetual.internal.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.perpetual.spi.PerpetualHost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A receiver on an ephemeral loopback port, its meters, and a real HTTP client to deliver to it. */
final class Fixture implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final SimpleMeterRegistry session = new SimpleMeterRegistry();
    final SimpleMeterRegistry tests = new SimpleMeterRegistry();
    final WebhookReceiver receiver;

    /** {@code config}: key, value, key, value… over {@code bind-address=127.0.0.1}. */
    Fixture(String... config) {
        this(Optional.empty(), config);
    }

    Fixture(Optional<PerpetualHost> host, String... config) {
        Map<String, String> values = new HashMap<>();
        values.put("perpetual.webhooks.bind-address", "127.0.0.1");
        for (int i = 0; i < config.length; i += 2) {
            values.put(config[i], config[i + 1]);
        }
        this.receiver = WebhookReceiver.start(key -> Optional.ofNullable(values.get(key)), host, session);
    }

    RunWebhooks run(String runId) {
        return run(runId, Instant.now().plusSeconds(30));
    }

    RunWebhooks run(String runId, Instant deadline) {
        return receiver.openRun("Probe.test", runId, deadline, tests);
    }

    URI url(String channel) {
        return receiver.url(channel);
    }

    /** POSTs {@code body} to {@code channel}; {@code headers}: name, value, name, value… */
    int post(String channel, String body, String... headers) {
        return send(channel, "POST", BodyPublishers.ofString(body), headers);
    }

    int send(String channel, String method, BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(channel)).method(method, body)
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), BodyHandlers.discarding()).statusCode();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code perpetual.webhook.received{channel, result}}. */
    double received(String channel, String result) {
        Counter counter = session.find(Channel.RECEIVED).tag("channel", channel).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        receiver.close();
    }
}

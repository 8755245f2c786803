package dev.perpetual.samples.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Delivers processed events to webhook destinations, Centrifuge-style: a 5xx, a timeout or a refused connection
 * is retried with exponential backoff up to {@link #MAX_ATTEMPTS} attempts; a 4xx is final.
 */
final class Deliverer implements AutoCloseable {

    static final int MAX_ATTEMPTS = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(ATTEMPT_TIMEOUT).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pipeline-delivery");
        thread.setDaemon(true);
        return thread;
    });
    private final Stats stats;
    private final Supplier<Faults> faults;

    Deliverer(Stats stats, Supplier<Faults> faults) {
        this.stats = stats;
        this.faults = faults;
    }

    /** {@code context}: the trace context the event came with, put back on every attempt. */
    void deliver(byte[] event, String messageId, Map<String, URI> destinations, EventContext context) {
        Faults now = faults.get();
        for (URI destination : destinations.values()) {
            if (now.dropDelivery()) {
                stats.count(Stats.Count.DROPPED, context.tenancy());
                continue;
            }
            timer.schedule(() -> attempt(event, messageId, destination, context, 1), now.latency().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(byte[] event, String messageId, URI destination, EventContext context, int attempt) {
        stats.count(Stats.Count.DELIVERY_ATTEMPTS, context.tenancy());
        HttpRequest.Builder builder = HttpRequest.newBuilder(destination).timeout(ATTEMPT_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("X-Message-Id", messageId)
                .header("X-Delivery-Attempt", Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event));
        context.headers().forEach(builder::header);
        HttpRequest request = builder.build();
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request,
                HttpResponse.BodyHandlers.discarding());
        response.whenComplete((result, failure) -> {
            boolean retryable = failure != null || result.statusCode() >= 500;
            if (failure == null && result.statusCode() < 300) {
                stats.count(Stats.Count.DELIVERED, context.tenancy());
            }
            else if (retryable && attempt < MAX_ATTEMPTS && !timer.isShutdown()) {
                stats.count(Stats.Count.RETRIES, context.tenancy());
                timer.schedule(() -> attempt(event, messageId, destination, context, attempt + 1), backoff(attempt),
                        TimeUnit.MILLISECONDS);
            }
            else {
                stats.count(Stats.Count.FAILED, context.tenancy());
            }
        });
    }

    private static long backoff(int attempt) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        return Math.min(millis, MAX_BACKOFF.toMillis());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

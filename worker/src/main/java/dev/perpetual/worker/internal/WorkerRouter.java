package dev.perpetual.worker.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.perpetual.spi.WebhookRouter;

/**
 * A worker's side of the webhook routing between the workers that share the port: expectations and unmatched
 * deliveries go to the supervisor as messages, and their answers come back through {@link #answered}.
 */
final class WorkerRouter implements WebhookRouter {

    /** How long a run waits for the supervisor to take its expectation, or a sender for its routed delivery. */
    static final Duration ANSWER_TIME = Duration.ofSeconds(5);

    private final Consumer<Message> out;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();

    WorkerRouter(Consumer<Message> out) {
        this.out = out;
    }

    @Override
    public void expect(String channel, String key, String runId) {
        long id = ids.incrementAndGet();
        CompletableFuture<Message> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        Message.Expected expected;
        try {
            out.accept(new Message.Expect(id, channel, key, runId));
            expected = (Message.Expected) answer.get(ANSWER_TIME.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the supervisor took the expectation", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new RuntimeException("no answer from the supervisor within " + ANSWER_TIME.toSeconds() + "s", e);
        }
        finally {
            waiting.remove(id);
        }
        if (expected.refusal() != null) {
            throw new IllegalStateException(expected.refusal());
        }
    }

    @Override
    public void unexpect(String channel, String key, String runId) {
        out.accept(new Message.Unexpect(channel, key, runId));
    }

    @Override
    public CompletionStage<Integer> route(String channel, String key, byte[] body,
            Map<String, List<String>> headers) {
        long id = ids.incrementAndGet();
        CompletableFuture<Message> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        out.accept(new Message.Route(id, new Message.Deliver(channel, key, body, headers,
                RunExecutor.micros(Instant.now()))));
        return answer.orTimeout(ANSWER_TIME.toMillis(), TimeUnit.MILLISECONDS).handle((routed, failure) -> {
            waiting.remove(id);
            return failure == null ? ((Message.Routed) routed).status() : 503; // the sender keeps it and retries
        });
    }

    /** An {@link Message.Expected} or {@link Message.Routed} from the supervisor. */
    void answered(long id, Message answer) {
        CompletableFuture<Message> waiter = waiting.get(id);
        if (waiter != null) {
            waiter.complete(answer);
        }
    }
}

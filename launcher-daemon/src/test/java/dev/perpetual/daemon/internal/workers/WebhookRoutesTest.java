package dev.perpetual.daemon.internal.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.perpetual.worker.internal.Message;
import org.junit.jupiter.api.Test;

/** The supervisor's table of which worker expects which webhook key, with the messages each worker is sent. */
class WebhookRoutesTest {

    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final WebhookRoutes routes = new WebhookRoutes(Duration.ofMillis(50), counted::add);
    private final Sent a = new Sent(1);
    private final Sent b = new Sent(2);
    private final Worker workerA = worker(1, a);
    private final Worker workerB = worker(2, b);

    @Test
    void a_delivery_for_another_workers_key_goes_to_that_worker_and_its_sender_gets_200() {
        routes.received(workerB, new Message.Expect(7, "default", "k-1", "r-b"));
        Message.Deliver delivery = delivery("k-1");
        routes.received(workerA, new Message.Route(3, delivery));

        assertThat(b.messages).containsExactly(new Message.Expected(7, null), delivery);
        assertThat(a.messages).containsExactly(new Message.Routed(3, 200));
        assertThat(counted).containsExactly("forwarded");
    }

    @Test
    void a_delivery_ahead_of_its_expectation_is_kept_and_handed_over_after_the_answer() {
        Message.Deliver delivery = delivery("k-2");
        routes.received(workerA, new Message.Route(3, delivery));
        routes.received(workerB, new Message.Expect(8, "default", "k-2", "r-b"));

        assertThat(a.messages).containsExactly(new Message.Routed(3, 200));
        assertThat(b.messages).containsExactly(new Message.Expected(8, null), delivery);
        assertThat(routes.kept()).isZero();
        assertThat(counted).containsExactly("kept", "forwarded");
    }

    @Test
    void a_delivery_nobody_expects_in_time_goes_back_to_the_worker_that_received_it() {
        Message.Deliver delivery = delivery("k-3");
        routes.received(workerA, new Message.Route(3, delivery));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            routes.sweep();
            assertThat(a.messages).containsExactly(new Message.Routed(3, 200), delivery);
        });
        assertThat(routes.kept()).isZero();
        assertThat(counted).containsExactly("kept", "expired");
    }

    @Test
    void a_key_another_workers_run_expects_is_refused_naming_that_run_and_worker() {
        routes.received(workerB, new Message.Expect(1, "default", "k-4", "r-b"));
        routes.received(workerA, new Message.Expect(2, "default", "k-4", "r-a"));

        assertThat(a.messages).containsExactly(new Message.Expected(2, "Key 'k-4' on channel 'default' is already "
                + "expected by run r-b on worker 2, which is still going. A key must be unique among the runs going "
                + "at once: put the run id (O.runId()) into it."));
    }

    @Test
    void an_expectation_ended_or_of_a_worker_gone_frees_its_key() {
        routes.received(workerB, new Message.Expect(1, "default", "k-5", "r-b"));
        routes.received(workerB, new Message.Unexpect("default", "k-5", "r-b"));
        routes.received(workerA, new Message.Expect(2, "default", "k-5", "r-a"));
        routes.ended(workerA);
        routes.received(workerB, new Message.Expect(3, "default", "k-5", "r-b2"));

        assertThat(a.messages).containsExactly(new Message.Expected(2, null));
        assertThat(b.messages).containsExactly(new Message.Expected(1, null), new Message.Expected(3, null));
        assertThat(routes.expected()).isEqualTo(1);
    }

    private static Message.Deliver delivery(String key) {
        return new Message.Deliver("default", key, "{}".getBytes(), Map.of("x-trace", List.of("t")), 1L);
    }

    private static Worker worker(int number, Sent sent) {
        Worker worker = new Worker(number, null, new Worker.Events() {
            @Override
            public void catalog(Worker w, Message.Catalog catalog) {
            }

            @Override
            public void webhooks(Worker w, String baseUrl) {
            }

            @Override
            public void up(Worker w, Message.Hello hello) {
            }

            @Override
            public void ended(Worker w, String reason, String how) {
            }
        });
        worker.connect(sent);
        return worker;
    }

    /** The messages a worker was sent, in order. */
    private static final class Sent implements Worker.Link {
        final List<Message> messages = new CopyOnWriteArrayList<>();
        final int number;

        Sent(int number) {
            this.number = number;
        }

        @Override
        public void send(Message message) {
            messages.add(message);
        }

        @Override
        public void kill() {
        }

        @Override
        public String describe() {
            return "worker " + number;
        }
    }
}

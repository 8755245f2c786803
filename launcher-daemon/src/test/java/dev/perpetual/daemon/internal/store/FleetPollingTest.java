package dev.perpetual.daemon.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The fleet follower's own thread: named, a daemon, failures said once per episode, stopped by close. */
class FleetPollingTest {

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Test
    void pollsOnADaemonThreadOfItsOwnUntilClosed() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        FleetPolling polling = new FleetPolling(() -> threads.add(Thread.currentThread()), Duration.ofMillis(10),
                warnings::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() >= 3);
        }
        finally {
            polling.close();
        }
        assertThat(threads).extracting(Thread::getName).containsOnly("perpetual-history-follower");
        assertThat(threads.get(0).isDaemon()).isTrue();
        int polled = threads.size();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> threads.size() == polled);
        assertThat(threads.get(0).isAlive()).isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailingPollIsSaidOncePerEpisodeAndPollingGoesOn() {
        AtomicInteger polls = new AtomicInteger();
        FleetPolling polling = new FleetPolling(() -> {
            int poll = polls.incrementAndGet();
            if (poll <= 3) {
                throw new SQLException("Connection refused");
            }
            if (poll == 5) {
                throw new IllegalStateException("the fleet's consumer failed");
            }
        }, Duration.ofMillis(10), warnings::add);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 8);
        }
        finally {
            polling.close();
        }
        assertThat(warnings).containsExactly(
                "The run store cannot be read to follow the fleet's other replicas (java.sql.SQLException: "
                        + "Connection refused): their runs reach /status when it can; this replica keeps running.",
                "The run store can be read again: the fleet's other replicas' runs are followed.",
                "The run store cannot be read to follow the fleet's other replicas (java.lang.IllegalStateException: "
                        + "the fleet's consumer failed): their runs reach /status when it can; this replica keeps "
                        + "running.",
                "The run store can be read again: the fleet's other replicas' runs are followed.");
    }
}

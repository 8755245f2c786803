package dev.perpetual;

import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("The timeout")
class TimeoutTest {

    @AfterEach
    void releaseStuckThreads() throws IOException {
        BusyLoopTestCase.release.set(true);
        BlockedReadTestCase.closeServer();
    }

    @Test
    void ends_a_test_blocked_in_a_socket_read_with_its_stack_and_still_runs_its_cleanups() throws IOException {
        BlockedReadTestCase.calls.clear();
        BlockedReadTestCase.openServer();

        EngineExecutionResults results = execute(BlockedReadTestCase.class);

        Throwable failure = failure(results);
        assertThat(failure).isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("BlockedReadTestCase.readsForever timed out after 300ms");
        assertThat(failure.getStackTrace()).extracting(StackTraceElement::getMethodName).contains("readsForever");
        assertThat(BlockedReadTestCase.calls).containsExactly("cleanup");
    }

    @Test
    void ends_a_busy_loop_that_ignores_interrupts_and_says_its_thread_is_abandoned() {
        BusyLoopTestCase.release.set(false);

        EngineExecutionResults results = execute(BusyLoopTestCase.class);

        Throwable failure = failure(results);
        assertThat(failure).isInstanceOf(TimeoutException.class).hasMessage("BusyLoopTestCase.spins timed out after "
                + "200ms; its thread did not stop when interrupted and is abandoned");
        assertThat(failure.getStackTrace()).extracting(StackTraceElement::getMethodName).contains("spins");
    }

    @Test
    void keeps_the_errors_recorded_before_the_timeout() {
        EngineExecutionResults results = execute(ErrorThenSleepTestCase.class);

        Throwable failure = failure(results);
        assertThat(failure).isInstanceOf(TimeoutException.class);
        assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("price wrong");
    }

    @Test
    void is_not_enforced_when_junits_timeout_mode_is_disabled() {
        EngineExecutionResults results = execute(SlowTestCase.class, "junit.jupiter.execution.timeout.mode",
                "disabled");

        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    @Test
    void is_enforced_with_disabled_on_debug_when_no_debugger_is_attached() {
        EngineExecutionResults results = execute(SlowTestCase.class, "junit.jupiter.execution.timeout.mode",
                "disabled_on_debug");

        assertThat(failure(results)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void a_bad_timeout_mode_fails_the_test_naming_the_key_and_the_value() {
        EngineExecutionResults results = execute(SlowTestCase.class, "junit.jupiter.execution.timeout.mode",
                "sometimes");

        assertThat(failure(results)).hasMessageContaining("'junit.jupiter.execution.timeout.mode'")
                .hasMessageContaining("sometimes");
    }

    @Test
    void a_test_that_ends_in_time_runs_on_and_returns_normally() {
        execute(FastTestCase.class).testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
    }

    static class BlockedReadTestCase {

        static final List<String> calls = new CopyOnWriteArrayList<>();
        private static volatile ServerSocket server;

        static void openServer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }

        static void closeServer() throws IOException {
            if (server != null) {
                server.close();
            }
        }

        @Perpetual(period = "1m", timeout = "300ms")
        void readsForever(O o) throws IOException {
            o.cleanup(() -> calls.add("cleanup"));
            try (Socket socket = new Socket(server.getInetAddress(), server.getLocalPort());
                    InputStream in = socket.getInputStream()) {
                in.read(); // never answered; an interrupt does not end a socket read
            }
        }
    }

    static class BusyLoopTestCase {

        static final AtomicBoolean release = new AtomicBoolean();

        @Perpetual(period = "1m", timeout = "200ms")
        void spins() {
            while (!release.get()) {
                Thread.interrupted(); // ignores interrupts
                Thread.onSpinWait();
            }
        }
    }

    static class ErrorThenSleepTestCase {

        @Perpetual(period = "1m", timeout = "200ms")
        void run(O o) throws InterruptedException {
            o.error("price wrong");
            Thread.sleep(60_000);
        }
    }

    static class SlowTestCase {

        @Perpetual(period = "1m", timeout = "50ms")
        void run() throws InterruptedException {
            Thread.sleep(300);
        }
    }

    static class FastTestCase {

        @Perpetual(period = "1m", timeout = "5s")
        void first() {
        }

        @Perpetual(period = "1m", timeout = "5s")
        void second() {
        }

        @Perpetual(period = "1m", timeout = "5s")
        void third() {
        }
    }
}

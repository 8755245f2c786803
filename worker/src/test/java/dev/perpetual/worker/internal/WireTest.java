package dev.perpetual.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WireTest {

    @TempDir
    Path folder;

    /** The worker's end. */
    private Wire near;
    /** The supervisor's end. */
    private Wire far;

    @BeforeEach
    void connect() throws IOException {
        Path socket = folder.resolve("wire.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.connect(UnixDomainSocketAddress.of(socket));
            near = Wire.queued(client); // as the worker's
            far = Wire.direct(server.accept()); // as the supervisor's
        }
    }

    @AfterEach
    void close() throws IOException {
        Thread.interrupted();
        near.close();
        far.close();
    }

    @Test
    void aSendFromAnInterruptedThreadNeitherFailsNorClosesTheChannelAndTheThreadKeepsItsInterrupt() throws IOException {
        Thread.currentThread().interrupt(); // a run thread a timeout interrupted, or test code that kept its interrupt
        near.send(new Message.Abort(1, "first"));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        near.send(new Message.Abort(2, "second"));
        Thread.interrupted();

        assertThat(far.receive()).isEqualTo(new Message.Abort(1, "first"));
        assertThat(far.receive()).isEqualTo(new Message.Abort(2, "second"));
        far.send(new Message.Stop());
        assertThat(near.receive()).isEqualTo(new Message.Stop());
    }

    @Test
    void messagesFromManyThreadsArriveWholeAndEachThreadsInTheOrderSent() throws Exception {
        int threads = 4;
        int each = 2_000;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        near.send(new Message.Abort(sender * 1_000_000L + i, "x".repeat(i % 300)));
                    }
                    catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            thread.start();
            senders.add(thread);
        }
        Map<Long, Long> next = new HashMap<>();
        for (int n = 0; n < threads * each; n++) {
            Message.Abort abort = (Message.Abort) far.receive();
            long sender = abort.id() / 1_000_000L;
            long i = abort.id() % 1_000_000L;
            assertThat(i).isEqualTo(next.getOrDefault(sender, 0L));
            assertThat(abort.why()).isEqualTo("x".repeat((int) (i % 300)));
            next.put(sender, i + 1);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        assertThat(near.flush(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aSendAfterTheOtherEndWentAwayFailsWithTheReason() throws IOException {
        far.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> near.send(new Message.Stop()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("The channel broke: "));
    }

    @Test
    void aDirectWireFailsTheSendItselfOnceTheOtherEndIsGone() throws IOException {
        near.close();
        assertThatThrownBy(() -> far.send(new Message.Stop())).isInstanceOf(IOException.class);
    }

    @Test
    void aClosedWireRefusesToSend() throws IOException {
        near.close();
        assertThatThrownBy(() -> near.send(new Message.Stop()))
                .isInstanceOf(IOException.class)
                .hasMessage("The channel is closed");
    }
}

package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ConsoleWriterTest {

    @Test
    void aConsoleNobodyReadsNeverBlocksTheCallerAndTheLinesThatDidNotFitAreCounted() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PrintStream stalled = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    reading.await(); // a full pipe: the writer blocks until someone reads
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (written) {
                    written.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8);
        ConsoleWriter writer = new ConsoleWriter();
        String line = "x".repeat(1023);

        long start = System.nanoTime();
        for (int i = 0; i < 3 * 1024; i++) { // 3 MiB against a 1 MiB queue
            writer.println(stalled, i + " " + line);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("never blocked").isLessThan(Duration.ofSeconds(2));

        reading.countDown();
        writer.flush(Duration.ofSeconds(10));
        List<String> lines;
        synchronized (written) {
            lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines.get(0)).isEqualTo("0 " + line);
        assertThat(lines.get(lines.size() - 1)).as("dropped after the queued ones, so counted last")
                .matches("… \\d+ console lines dropped: the console was not read fast enough");
        // Each gap where lines went missing is marked where it happened: more than one when the writer thread took
        // its first line only after the queue had filled (a slow thread start), freeing room for a later line.
        long dropped = lines.stream().filter(text -> text.startsWith("… "))
                .mapToLong(marker -> Long.parseLong(marker.split(" ")[1])).sum();
        long kept = lines.stream().filter(text -> !text.startsWith("… ")).count();
        assertThat(kept + dropped).as("every line written or counted").isEqualTo(3 * 1024);

        writer.println(stalled, "after");
        writer.flush(Duration.ofSeconds(10));
        synchronized (written) {
            assertThat(written.toString(StandardCharsets.UTF_8).lines()).last().isEqualTo("after");
        }
    }
}

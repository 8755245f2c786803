package dev.perpetual.daemon.internal.records;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes the console: lines are queued (up to {@value #MAX_QUEUED_BYTES} bytes) and written in
 * order by a daemon thread, so a console nobody reads (a full pipe, a stalled log shipper) never blocks a run, a
 * recording or a worker's output. Lines that do not fit are dropped and counted, and the count is written where they
 * went missing: {@code … 1200 console lines dropped: the console was not read fast enough}.
 */
final class ConsoleWriter {

    static final int MAX_QUEUED_BYTES = 1 << 20;

    /** A line to write, or (with {@code dropped} > 0) where lines were dropped: written as their count. */
    private static final class Line {
        final PrintStream stream;
        final String text;
        long dropped;

        Line(PrintStream stream, String text) {
            this.stream = stream;
            this.text = text;
        }
    }

    private final Deque<Line> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;

    ConsoleWriter() {
        Thread thread = new Thread(this::drain, "perpetual-console");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code text} as a line of {@code stream}; drops it when the queue is full. Never blocks. */
    synchronized void println(PrintStream stream, String text) {
        long bytes = text.length() + 1L;
        if (queuedBytes + bytes > MAX_QUEUED_BYTES) {
            Line last = queue.peekLast();
            if (last == null || last.dropped == 0) {
                last = new Line(stream, null); // marks where lines went missing, in order
                queue.addLast(last);
            }
            last.dropped++;
            return;
        }
        queue.addLast(new Line(stream, text));
        queuedBytes += bytes;
        notifyAll();
    }

    /** Waits up to {@code timeout} for what was queued to be written (at exit, and for tests). */
    synchronized void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() || writing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drain() {
        while (true) {
            Line line;
            synchronized (this) {
                writing = false;
                notifyAll();
                while (queue.isEmpty()) {
                    try {
                        wait();
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
                line = queue.removeFirst();
                if (line.text != null) {
                    queuedBytes -= line.text.length() + 1L;
                }
                writing = true;
            }
            try {
                line.stream.println(line.text != null ? line.text : String.format("… %d console lines dropped: the "
                        + "console was not read fast enough", line.dropped));
            }
            catch (RuntimeException e) {
                // a console that fails must not stop the writer
            }
        }
    }
}

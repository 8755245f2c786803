package dev.perpetual.worker.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What runs print to {@code System.out} and {@code System.err}, kept per run: writes from a run's thread (and the
 * threads it starts) go to that run's {@link Capture}, bounded to its head and its tail, until the run is recorded;
 * anything else (and what a thread that outlived its run prints) goes to the worker's own streams, which the
 * supervisor relays.
 */
final class RunOutput {

    /** No capture: {@code System.out} stays as it is (a worker inside the supervisor's JVM). */
    static final RunOutput NONE = new RunOutput(-1);

    private final int maxBytes;
    private final InheritableThreadLocal<Capture> current = new InheritableThreadLocal<>();

    private RunOutput(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Routes {@code System.out} and {@code System.err} through per-run captures of at most {@code maxBytes}. */
    static RunOutput install(int maxBytes) {
        RunOutput output = new RunOutput(maxBytes);
        System.setOut(new PrintStream(output.routing(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(output.routing(System.err), true, StandardCharsets.UTF_8));
        return output;
    }

    /** A new run's capture, or null when output is not captured. */
    Capture open() {
        return maxBytes < 0 ? null : new Capture(maxBytes);
    }

    /** From now on the current thread's output (and that of threads it starts) goes to {@code capture}. */
    void attach(Capture capture) {
        if (capture != null) {
            current.set(capture);
        }
    }

    void detach() {
        current.remove();
    }

    private OutputStream routing(PrintStream worker) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                Capture capture = current.get();
                if (capture == null || !capture.write(bytes, offset, length)) {
                    worker.write(bytes, offset, length); // outside any run, or a thread that outlived its run
                }
            }

            @Override
            public void flush() {
                worker.flush();
            }
        };
    }

    /** One run's output: its first half-budget of bytes, and its last, with the count of what fell between. */
    static final class Capture {

        private final byte[] head;
        private final byte[] tail;
        private int headSize;
        private long tailWritten;
        private long total;

        Capture(int maxBytes) {
            this.head = new byte[maxBytes / 2];
            this.tail = new byte[maxBytes - maxBytes / 2];
        }

        private boolean closed;

        /** Keeps {@code bytes}; false once the run was recorded, when they belong to the worker's own stream. */
        synchronized boolean write(byte[] bytes, int offset, int length) {
            if (closed) {
                return false;
            }
            total += length;
            int toHead = Math.min(length, head.length - headSize);
            System.arraycopy(bytes, offset, head, headSize, toHead);
            headSize += toHead;
            for (int i = offset + toHead; i < offset + length && tail.length > 0; i++) {
                tail[(int) (tailWritten++ % tail.length)] = bytes[i];
            }
            return true;
        }

        /** The run's output, or null when there was none; what its threads print from now on is the worker's. */
        synchronized String close() {
            closed = true;
            return text();
        }

        /** The output, or null when there was none. */
        synchronized String text() {
            if (total == 0) {
                return null;
            }
            StringBuilder text = new StringBuilder(new String(head, 0, headSize, StandardCharsets.UTF_8));
            long kept = Math.min(tailWritten, tail.length);
            long cut = total - headSize - kept;
            if (cut > 0) {
                text.append(String.format("%n… %d bytes left out …%n", cut));
            }
            byte[] last = new byte[(int) kept];
            for (int i = 0; i < kept; i++) {
                last[i] = tail[(int) ((tailWritten - kept + i) % tail.length)];
            }
            return text.append(new String(last, StandardCharsets.UTF_8)).toString();
        }
    }
}

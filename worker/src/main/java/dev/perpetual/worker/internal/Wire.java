package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.apiguardian.api.API;

/**
 * One end of the supervisor–worker channel: {@link Message}s as JSON objects, one per line, over a connected
 * Unix-domain socket. {@link #send} may be called from any thread; {@link #receive} from one reader thread.
 * <p>
 * A {@linkplain #queued queued} wire (the worker's) has a writer thread of its own that writes the messages in the
 * order they were sent, several to a system call when they queue up; no caller writes the channel itself, because a
 * socket channel is closed for good when a thread is interrupted in the middle of a write, and the worker's callers
 * include run threads that a timeout interrupts and test code that may leave its thread interrupted. Sending blocks
 * only when {@value #MAX_QUEUED_BYTES} bytes are waiting (the other end reads no more), as a blocking write would.
 * A {@linkplain #direct direct} wire (the supervisor's, whose own threads are never interrupted while they send)
 * writes on the caller's thread, so that a send to a worker that is gone fails there and then, and the run it
 * carried goes to the next worker.
 */
@API(status = INTERNAL, since = "0.1")
public final class Wire implements AutoCloseable {

    /** Bytes of messages that may wait for the writer before {@link #send} waits. */
    static final int MAX_QUEUED_BYTES = 8 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    private static final ObjectWriter WRITER = JSON.writerFor(Message.class);
    private static final ObjectReader READER = JSON.readerFor(Message.class);

    private final SocketChannel channel;
    private final BufferedInputStream input;
    /** Made at the first {@link #receive}: making it reads, and both ends would wait for the other's first words. */
    private MappingIterator<Message> in;

    private final Object lock = new Object();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long sent;
    private long written;
    private IOException broken;
    private boolean closed;

    /** Set on a direct wire: the callers write it themselves. */
    private final OutputStream direct;

    private Wire(SocketChannel channel, boolean queued) {
        this.channel = channel;
        this.input = new BufferedInputStream(new ChannelIn(channel), 64 * 1024);
        if (queued) {
            this.direct = null;
            Thread writer = new Thread(this::write, "perpetual-wire-writer");
            writer.setDaemon(true);
            writer.start();
        }
        else {
            this.direct = new BufferedOutputStream(new ChannelOut(channel), 64 * 1024);
        }
    }

    /** A wire written by a thread of its own: no sender's interrupt can close it. */
    public static Wire queued(SocketChannel channel) {
        return new Wire(channel, true);
    }

    /** A wire written by its callers: a send fails when the other end is gone. */
    public static Wire direct(SocketChannel channel) {
        return new Wire(channel, false);
    }

    /**
     * Sends {@code message}: a queued wire hands it to the writer, waiting only while {@value #MAX_QUEUED_BYTES}
     * bytes are queued; a direct wire writes and flushes it.
     *
     * @throws IOException when the channel broke or was closed
     */
    public void send(Message message) throws IOException {
        if (direct != null) {
            synchronized (direct) {
                WRITER.writeValue(direct, message);
                direct.write('\n');
                direct.flush();
            }
            return;
        }
        byte[] json = WRITER.writeValueAsBytes(message);
        ByteBuffer frame = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        synchronized (lock) {
            boolean interrupted = false;
            while (broken == null && !closed && queuedBytes > MAX_QUEUED_BYTES) {
                try {
                    lock.wait();
                }
                catch (InterruptedException e) {
                    interrupted = true; // the send goes on; the caller gets its interrupt back
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            failIfDown();
            queue.addLast(frame);
            queuedBytes += frame.remaining();
            sent++;
            lock.notifyAll();
        }
    }

    /**
     * Waits until every message sent before is written to the channel, at most {@code timeout}; whether it was.
     *
     * @throws IOException when the channel broke or was closed first
     */
    public boolean flush(Duration timeout) throws IOException {
        if (direct != null) {
            return true; // written by send
        }
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long target = sent;
            boolean interrupted = false;
            try {
                while (written < target) {
                    failIfDown();
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                    catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            }
            finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void failIfDown() throws IOException {
        if (broken != null) {
            throw new IOException("The channel broke: " + broken, broken);
        }
        if (closed) {
            throw new IOException("The channel is closed");
        }
    }

    /** The writer thread: writes what is queued, all of it at once, until the channel breaks or closes. */
    private void write() {
        ByteBuffer[] batch = new ByteBuffer[0];
        while (true) {
            int count;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    }
                    catch (InterruptedException e) {
                        // no one may stop the writer but close()
                    }
                }
                if (queue.isEmpty()) {
                    return; // closed, and everything written
                }
                count = queue.size();
                batch = queue.toArray(batch);
            }
            try {
                long bytes = 0;
                for (int i = 0; i < count; i++) {
                    bytes += batch[i].remaining();
                }
                for (long left = bytes; left > 0; ) {
                    Thread.interrupted(); // an interrupt during the write would close the channel
                    left -= channel.write(batch, 0, count);
                }
                synchronized (lock) {
                    for (int i = 0; i < count; i++) {
                        queue.removeFirst();
                    }
                    queuedBytes -= bytes;
                    written += count;
                    lock.notifyAll();
                }
                Arrays.fill(batch, 0, count, null);
            }
            catch (IOException e) {
                synchronized (lock) {
                    broken = e;
                    queue.clear();
                    queuedBytes = 0;
                    lock.notifyAll();
                }
                return;
            }
        }
    }

    /**
     * The next message, waiting for it; null when the other end closed the channel.
     *
     * @throws IOException when the channel broke or a message could not be read
     */
    public Message receive() throws IOException {
        try {
            if (in == null) {
                in = READER.readValues(input);
            }
            return in.hasNextValue() ? in.nextValue() : null;
        }
        catch (RuntimeException e) {
            throw new IOException("Unreadable message from the other end: " + e.getMessage(), e);
        }
    }

    /** Closes the channel; what is still queued is not written ({@link #flush} first to have it written). */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        channel.close();
    }

    /**
     * Reads the channel directly: {@code Channels.newInputStream} would take the channel's blocking lock, which a
     * writer takes too, so a waiting read would hold every send back.
     */
    private static final class ChannelIn extends InputStream {

        private final SocketChannel channel;

        ChannelIn(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
        }
    }

    /** Writes the channel directly, for the same reason as {@link ChannelIn}. */
    private static final class ChannelOut extends OutputStream {

        private final SocketChannel channel;

        ChannelOut(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}

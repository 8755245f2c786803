package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

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
 */
@API(status = INTERNAL, since = "0.1")
public final class Wire implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    private static final ObjectWriter WRITER = JSON.writerFor(Message.class);
    private static final ObjectReader READER = JSON.readerFor(Message.class);

    private final SocketChannel channel;
    private final OutputStream out;
    private final BufferedInputStream input;
    /** Made at the first {@link #receive}: making it reads, and both ends would wait for the other's first words. */
    private MappingIterator<Message> in;

    public Wire(SocketChannel channel) {
        this.channel = channel;
        this.out = new BufferedOutputStream(new ChannelOut(channel), 64 * 1024);
        this.input = new BufferedInputStream(new ChannelIn(channel), 64 * 1024);
    }

    /** Sends {@code message} and flushes it. */
    public void send(Message message) throws IOException {
        synchronized (out) {
            WRITER.writeValue(out, message);
            out.write('\n');
            out.flush();
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

    @Override
    public void close() throws IOException {
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

package dev.perpetual.internal.webhook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A delivery on its way between replicas, as {@link RedisRouting}'s scripts keep it: {@code "<seconds> <micros> "}
 * (Redis's clock when it was routed) then the payload this replica encoded: channel, key, the receiving replica's
 * wall clock, headers (names in lower case) and body.
 */
final class Routed {

    final String channel;
    final String key;
    final Instant receivedAt;
    final Map<String, List<String>> headers;
    final byte[] body;
    /** When Redis routed it, in microseconds on Redis's clock. */
    final long routedMicros;

    private Routed(String channel, String key, Instant receivedAt, Map<String, List<String>> headers, byte[] body,
            long routedMicros) {
        this.channel = channel;
        this.key = key;
        this.receivedAt = receivedAt;
        this.headers = headers;
        this.body = body;
        this.routedMicros = routedMicros;
    }

    static byte[] encode(String channel, String key, byte[] body, Map<String, List<String>> headers,
            long receivedAtMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, channel);
            writeString(out, key);
            out.writeLong(receivedAtMillis);
            out.writeInt(headers.size());
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                writeString(out, header.getKey());
                out.writeInt(header.getValue().size());
                for (String value : header.getValue()) {
                    writeString(out, value);
                }
            }
            out.writeInt(body.length);
            out.write(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e); // not on a byte array
        }
        return bytes.toByteArray();
    }

    /** Reads an entry of an inbox or an early list: the routing time, then the payload. */
    static Routed decode(byte[] entry) {
        int first = indexOf(entry, 0);
        int second = indexOf(entry, first + 1);
        long seconds = Long.parseLong(new String(entry, 0, first, StandardCharsets.US_ASCII));
        long micros = Long.parseLong(new String(entry, first + 1, second - first - 1, StandardCharsets.US_ASCII));
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(entry, second + 1, entry.length - second - 1))) {
            String channel = readString(in);
            String key = readString(in);
            Instant receivedAt = Instant.ofEpochMilli(in.readLong());
            int count = in.readInt();
            Map<String, List<String>> headers = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                String name = readString(in);
                int values = in.readInt();
                List<String> list = new ArrayList<>(values);
                for (int j = 0; j < values; j++) {
                    list.add(readString(in));
                }
                headers.put(name, List.copyOf(list));
            }
            byte[] body = in.readNBytes(in.readInt());
            return new Routed(channel, key, receivedAt, Map.copyOf(headers), body, seconds * 1_000_000 + micros);
        }
        catch (IOException e) {
            throw new UncheckedIOException("A routed webhook that this version cannot read", e);
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == ' ') {
                return i;
            }
        }
        throw new IllegalArgumentException("A routed webhook without its routing time");
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}

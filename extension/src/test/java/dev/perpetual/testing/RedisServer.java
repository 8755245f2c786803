package dev.perpetual.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, without persistence, for the tests of
 * scale-out. Register it as a static field with {@code @RegisterExtension}: it starts before the class's tests and
 * stops after them; {@link #stop()} and {@link #start()} in between play an outage.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final RedisServer redis = new RedisServer();
 * </pre>
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private int port;
    private Process process;

    @Override
    public void beforeAll(ExtensionContext context) {
        port = freePort();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it (again, on the same port, empty) and waits until it answers. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "redis-" + port + ".log"))
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start redis-server: is Debian's redis-server package installed "
                    + "(apt-get install redis-server)?", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                command("PING");
                return;
            }
            catch (UncheckedIOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not answer on port " + port, e);
                }
                sleep(20);
            }
        }
    }

    /** Stops it at once (SIGKILL, as a crash): what it held is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Freezes it ({@code SIGSTOP}): connections stay open and nothing is answered, as a Redis stuck or overloaded. */
    public synchronized void pause() {
        signal("-STOP");
    }

    /** Thaws it ({@code SIGCONT}) after {@link #pause()}: it answers what was sent meanwhile. */
    public synchronized void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code INFO commandstats} as {@code command → calls}, such as {@code evalsha → 12}. */
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : command("INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int from = line.indexOf("calls=") + "calls=".length();
                calls.put(name, Long.parseLong(line.substring(from, line.indexOf(',', from))));
            }
        }
        return calls;
    }

    /** Keys matching {@code pattern} (the tests' own small databases only). */
    public List<String> keys(String pattern) {
        String reply = command("KEYS", pattern);
        return reply.isEmpty() ? List.of() : List.of(reply.split("\n"));
    }

    /** One command over plain RESP: a status or number as text, a bulk string, or an array's items one a line. */
    public String command(String... args) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String first = line(in);
            switch (first.charAt(0)) {
                case '-':
                    throw new IllegalStateException("Redis said: " + first);
                case '$':
                    return bulk(in, Integer.parseInt(first.substring(1)));
                case '*':
                    List<String> items = new ArrayList<>();
                    for (int i = Integer.parseInt(first.substring(1)); i > 0; i--) {
                        items.add(bulk(in, Integer.parseInt(line(in).substring(1))));
                    }
                    return String.join("\n", items);
                default:
                    return first.substring(1);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bulk(DataInputStream in, int length) throws IOException {
        if (length < 0) {
            return "";
        }
        byte[] bytes = new byte[length + 2];
        in.readFully(bytes);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.Wire;
import org.apiguardian.api.API;

/**
 * A worker in a JVM of its own: started with the user's class path and {@code perpetual.worker.jvm-args}, reached
 * over a Unix-domain socket, its standard streams relayed to the console. When its channel closes, the way it ended
 * (its exit code, what it said before, the JVM's own last words) becomes the reason its runs are recorded with.
 */
@API(status = INTERNAL, since = "0.1")
public final class ForkedLink implements Worker.Link {

    /** How long a new worker may take to connect. */
    static final long CONNECT_SECONDS = 60;
    /** What the JVM prints when {@code -XX:+ExitOnOutOfMemoryError} ends it. */
    private static final String OUT_OF_MEMORY = "Terminating due to java.lang.OutOfMemoryError";
    private static final int LAST_WORDS = 20;

    private final Process process;
    private final Wire wire;
    private final Worker worker;
    private final Deque<String> lastWords = new ArrayDeque<>();
    private volatile boolean killed;
    private Thread output;
    private Thread errors;

    private ForkedLink(Process process, Wire wire, Worker worker) {
        this.process = process;
        this.wire = wire;
        this.worker = worker;
    }

    /**
     * Starts the worker JVM and connects to it.
     *
     * @param command the command line, to which the socket's path is appended
     * @param console where the worker's own output lines go
     */
    public static ForkedLink start(List<String> command, Path folder, Worker worker, Consumer<String> console)
            throws IOException {
        Path socket = folder.resolve("worker-" + worker.number + "-" + System.nanoTime() % 100_000 + ".sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            List<String> line = new ArrayList<>(command);
            line.add(socket.toString());
            Process process = new ProcessBuilder(line).start();
            process.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_SECONDS);
            SocketChannel channel = null;
            while (channel == null) {
                long left = deadline - System.nanoTime();
                if (!process.isAlive() || left <= 0) {
                    boolean hung = process.isAlive();
                    String output = "";
                    if (hung) {
                        process.destroyForcibly(); // (which closes its streams: a hung JVM's are not read)
                    }
                    else {
                        // Why it could not start, on stdout (a bad -Xmx) or stderr: both are read to their end.
                        output = (new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8)
                                + "\n" + new String(process.getErrorStream().readNBytes(4096), StandardCharsets.UTF_8))
                                .strip().replaceAll("\\s*\\R\\s*", " ");
                    }
                    throw new IOException("The worker JVM " + (hung ? "did not connect within " + CONNECT_SECONDS
                            + "s" : "ended at start") + (output.isBlank() ? "" : ": " + output));
                }
                selector.select(Math.min(250, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                channel = server.accept();
            }
            channel.configureBlocking(true);
            ForkedLink link = new ForkedLink(process, Wire.direct(channel), worker);
            // The JVM's own last words (such as -XX:+ExitOnOutOfMemoryError's) go to stdout: both streams are kept.
            link.output = link.relay(process.getInputStream(), console, "stdout");
            link.errors = link.relay(process.getErrorStream(), console, "stderr");
            Thread reader = new Thread(link::read, "perpetual-worker-" + worker.number + "-channel");
            reader.setDaemon(true);
            reader.start();
            return link;
        }
        finally {
            Files.deleteIfExists(socket);
        }
    }

    @Override
    public void send(Message message) throws IOException {
        wire.send(message);
    }

    @Override
    public void kill() {
        killed = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public String describe() {
        return "worker " + worker.number + " (pid " + process.pid() + ")";
    }

    long pid() {
        return process.pid();
    }

    /** Reads the channel until it closes, then says how the worker ended. */
    private void read() {
        try {
            for (Message message = wire.receive(); message != null; message = wire.receive()) {
                try {
                    worker.received(message);
                }
                catch (RuntimeException | Error e) {
                    // recording went wrong downstream: the channel keeps being read
                }
            }
        }
        catch (IOException e) {
            // the worker is gone or going: below
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
                process.waitFor();
            }
            output.join(2_000); // the JVM's last words, read to their end
            errors.join(2_000);
        }
        catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
        try {
            wire.close();
        }
        catch (IOException e) {
            // closing
        }
        String[] ending = ending(process.exitValue());
        worker.ended(ending[0], ending[1]);
    }

    /** {@code [reason, how]}: {@code exit}, {@code oom} or {@code crash}, and a sentence. */
    private String[] ending(int code) {
        String retiring = worker.retiring();
        if (retiring != null && (killed || code == 0)) {
            return new String[] { "recycle", "the worker was retired (" + retiring + ")" };
        }
        boolean outOfMemory;
        synchronized (lastWords) {
            outOfMemory = lastWords.stream().anyMatch(words -> words.contains(OUT_OF_MEMORY));
        }
        if (outOfMemory) {
            Message.Hello hello = worker.hello();
            String heap = hello == null ? "" : String.format(Locale.ROOT, " (%d MiB)", hello.maxHeap() >> 20);
            return new String[] { "oom", "the worker ran out of heap" + heap + " and was ended by "
                    + "-XX:+ExitOnOutOfMemoryError" };
        }
        String exiting = worker.exiting();
        if (exiting != null) {
            return new String[] { "exit", exiting.replaceFirst("^(System|Runtime)\\.exit", "$1.exit(" + code + ")")
                    + " ended the worker" };
        }
        if (code > 128) {
            return new String[] { "crash", "the worker was killed by signal " + (code - 128) + " (exit code " + code
                    + ")" + (killed ? ", by the supervisor" : "") };
        }
        return new String[] { "exit", "the worker ended with exit code " + code + " and no shutdown hook ran "
                + "(Runtime.halt, or a native exit)" };
    }

    private Thread relay(InputStream stream, Consumer<String> console, String name) {
        Thread relay = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (lastWords) {
                        lastWords.addLast(line);
                        if (lastWords.size() > LAST_WORDS) {
                            lastWords.removeFirst();
                        }
                    }
                    console.accept("[worker " + worker.number + "] " + line);
                }
            }
            catch (IOException e) {
                // the worker is gone
            }
        }, "perpetual-worker-" + worker.number + "-" + name);
        relay.setDaemon(true);
        relay.start();
        return relay;
    }
}

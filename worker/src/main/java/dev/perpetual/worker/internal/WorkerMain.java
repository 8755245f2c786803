package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apiguardian.api.API;
import org.junit.platform.launcher.Launcher;

/**
 * A worker JVM's entry point: {@code WorkerMain <socket>} connects to the supervisor's Unix-domain socket, says
 * {@link Message.Hello}, then runs what it is asked to until told to {@link Message.Stop stop} or the supervisor goes
 * away. Every second it sends its {@link Message.Health}. A {@code System.exit} from a test is reported (who called
 * it) before the JVM ends.
 */
@API(status = INTERNAL, since = "0.1")
public final class WorkerMain {

    /** System property: bytes of {@code System.out}/{@code System.err} kept per run; {@value #OUTPUT_BYTES_DEFAULT}. */
    public static final String OUTPUT_BYTES = "perpetual.worker.output-bytes";
    static final int OUTPUT_BYTES_DEFAULT = 64 * 1024;

    private static final Duration FLUSH_AT_END = Duration.ofSeconds(2);
    private static volatile boolean stopping;

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: WorkerMain <unix socket of the supervisor>");
            System.exit(2);
        }
        PrintStream console = System.err;
        ignoreTerminalSignals();
        RunOutput output = RunOutput.install(Integer.getInteger(OUTPUT_BYTES, OUTPUT_BYTES_DEFAULT));
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        Wire wire = Wire.queued(channel);
        WorkerRuntime runtime = new WorkerRuntime(message -> send(wire, message, console),
                ClassLoader.getSystemClassLoader(), output, ConnectTargets.install(), true, console::println);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!stopping) {
                Optional<Thread> caller = exitingThread();
                send(wire, new Message.Exiting(caller.flatMap(WorkerMain::exitCall)
                        .orElse("the JVM was asked to exit"), caller.flatMap(runtime::testOn).orElse(null)), console);
                flush(wire); // the JVM ends when the hooks return
            }
        }, "perpetual-worker-exit"));
        send(wire, new Message.Hello(ProcessHandle.current().pid(),
                Optional.ofNullable(Launcher.class.getPackage().getImplementationVersion()).orElse("unknown"),
                Runtime.getRuntime().maxMemory()), console);
        ScheduledExecutorService health = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "perpetual-worker-health");
            thread.setDaemon(true);
            return thread;
        });
        health.scheduleWithFixedDelay(() -> {
            try {
                send(wire, runtime.health(), console);
            }
            catch (Throwable e) {
                // the next beat tries again; a worker that cannot beat is recycled by the supervisor
            }
        }, 0, 1, TimeUnit.SECONDS);

        try {
            for (Message message = wire.receive(); message != null; message = wire.receive()) {
                if (message instanceof Message.Stop) {
                    health.shutdownNow();
                    send(wire, runtime.health(), console); // the meters' last values, for the supervisor to keep
                    break;
                }
                runtime.handle(message);
            }
        }
        catch (IOException e) {
            console.println("perpetual worker: the channel to the supervisor broke: " + e.getMessage());
        }
        // Told to stop, or the supervisor went away: a worker never outlives its supervisor.
        stopping = true;
        health.shutdownNow();
        try {
            runtime.close();
        }
        finally {
            flush(wire); // the last records and meters
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * A worker's life is its supervisor's: Ctrl-C in a terminal or a TERM sent to the process group reaches the
     * supervisor, which drains the runs and then stops its workers. The worker ignores them, and ends when told,
     * when killed, or when its supervisor's channel closes.
     */
    private static void ignoreTerminalSignals() {
        for (String name : new String[] { "INT", "TERM", "HUP" }) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> { });
            }
            catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not a signal on this platform
            }
        }
    }

    /** Waits, a little, for what was sent to be written: the JVM is about to end. */
    private static void flush(Wire wire) {
        try {
            wire.flush(FLUSH_AT_END);
        }
        catch (IOException e) {
            // the supervisor is gone: nothing to write to
        }
    }

    private static void send(Wire wire, Message message, PrintStream console) {
        try {
            wire.send(message);
        }
        catch (IOException e) {
            if (!stopping) {
                console.println("perpetual worker: cannot reach the supervisor: " + e.getMessage());
            }
        }
    }

    /** The thread that called {@code System.exit} (or {@code Runtime.exit}), if one did. */
    static Optional<Thread> exitingThread() {
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            if (exitFrame(thread.getValue()) >= 0) {
                return Optional.of(thread.getKey());
            }
        }
        return Optional.empty();
    }

    /** {@code System.exit called from Caller.method(File.java:12) on thread "name"}, for {@code thread}. */
    static Optional<String> exitCall(Thread thread) {
        StackTraceElement[] frames = thread.getStackTrace();
        int exit = exitFrame(frames);
        if (exit < 0) {
            return Optional.empty();
        }
        String call = frames[exit].getClassName().equals("java.lang.System") ? "System.exit" : "Runtime.exit";
        return Optional.of(call + " called from " + shortFrame(frames[exit + 1]) + " on thread \"" + thread.getName()
                + "\"");
    }

    /** The index of the outermost {@code exit} frame with a caller below it, or -1. */
    private static int exitFrame(StackTraceElement[] frames) {
        for (int i = frames.length - 2; i >= 0; i--) {
            StackTraceElement frame = frames[i];
            if (frame.getMethodName().equals("exit") && (frame.getClassName().equals("java.lang.System")
                    || frame.getClassName().equals("java.lang.Runtime"))) {
                return i;
            }
        }
        return -1;
    }

    private static String shortFrame(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethodName() + "(" + frame.getFileName()
                + ":" + frame.getLineNumber() + ")";
    }
}

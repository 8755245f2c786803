package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
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

    private static volatile boolean stopping;

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("Usage: WorkerMain <unix socket of the supervisor>");
            System.exit(2);
        }
        PrintStream console = System.err;
        RunOutput output = RunOutput.install(Integer.getInteger(OUTPUT_BYTES, OUTPUT_BYTES_DEFAULT));
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
        Wire wire = new Wire(channel);
        WorkerRuntime runtime = new WorkerRuntime(message -> send(wire, message, console),
                ClassLoader.getSystemClassLoader(), output);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!stopping) {
                send(wire, new Message.Exiting(exitCaller().orElse("the JVM was asked to exit")), console);
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
            Runtime.getRuntime().halt(0);
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

    /** Who called {@code System.exit} (or {@code Runtime.exit}), from the exiting thread's stack, if found. */
    static Optional<String> exitCaller() {
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = thread.getValue();
            for (int i = frames.length - 2; i >= 0; i--) {
                StackTraceElement frame = frames[i];
                if (frame.getMethodName().equals("exit") && (frame.getClassName().equals("java.lang.System")
                        || frame.getClassName().equals("java.lang.Runtime"))) {
                    String call = frame.getClassName().equals("java.lang.System") ? "System.exit" : "Runtime.exit";
                    return Optional.of(call + " called from " + shortFrame(frames[i + 1]) + " on thread \""
                            + thread.getKey().getName() + "\"");
                }
            }
        }
        return Optional.empty();
    }

    private static String shortFrame(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethodName() + "(" + frame.getFileName()
                + ":" + frame.getLineNumber() + ")";
    }
}

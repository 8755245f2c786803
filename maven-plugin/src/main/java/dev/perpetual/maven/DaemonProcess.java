package dev.perpetual.maven;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.maven.plugin.logging.Log;

/**
 * The daemon as a child JVM: its output goes to Maven's log line by line (stdout as info, stderr as warnings, the
 * last of which are kept for a failure's message), and it is stopped when Maven is: a shutdown hook (Ctrl-C, SIGTERM)
 * or an interrupted build sends it SIGTERM, waits for it to drain its runs, and kills it only past
 * {@value #STOP_SECONDS} seconds.
 */
final class DaemonProcess {

    /**
     * How long a stopped daemon may take: its default {@code --grace} of 30 s for the runs going, 5 s for a worker to
     * close, and a margin: {@value}.
     */
    static final long STOP_SECONDS = 60;

    private static final int KEPT_ERROR_LINES = 50;

    private final Process process;
    private final Thread stdout;
    private final Thread stderr;
    private final Deque<String> errors = new ArrayDeque<>();
    private final Thread hook;

    private DaemonProcess(Process process, Log log) {
        this.process = process;
        Charset charset = Charset.defaultCharset();
        this.stdout = pump(process.getInputStream(), charset, log::info, "perpetual-daemon-stdout");
        this.stderr = pump(process.getErrorStream(), charset, line -> {
            log.warn(line);
            synchronized (errors) {
                if (errors.size() == KEPT_ERROR_LINES) {
                    errors.removeFirst();
                }
                errors.addLast(line);
            }
        }, "perpetual-daemon-stderr");
        this.hook = new Thread(this::stop, "perpetual-daemon-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static DaemonProcess start(List<String> command, File directory, Log log) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        return new DaemonProcess(process, log);
    }

    /** Waits for the daemon to end and its output to be logged; says its exit code. */
    int await() throws InterruptedException {
        int exitCode = process.waitFor();
        stdout.join();
        stderr.join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException e) {
            // Maven's JVM is shutting down: the hook is stopping the daemon
        }
        return exitCode;
    }

    /**
     * Stops the daemon with SIGTERM, gracefully; kills it if it has not ended in {@value #STOP_SECONDS} s. Through its
     * {@link ProcessHandle}: {@link Process#destroy()} would also close the pipes, and the daemon's last lines (its
     * summary, "Stopped") would be lost.
     */
    void stop() {
        ProcessHandle handle = process.toHandle();
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                handle.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            stdout.join(TimeUnit.SECONDS.toMillis(5));
            stderr.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines the daemon wrote to stderr. */
    String errors() {
        synchronized (errors) {
            return String.join(System.lineSeparator(), errors);
        }
    }

    private static Thread pump(InputStream stream, Charset charset, Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, charset))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    sink.accept(line);
                }
            }
            catch (IOException e) {
                // the daemon is gone
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

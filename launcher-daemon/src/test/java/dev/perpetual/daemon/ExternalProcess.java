package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server binary (Debian's Prometheus, Alertmanager) started by a test on a free port of the loopback
 * interface, ready once {@code /-/ready} answers 200, its output in a log file that is kept in {@code target/} when it
 * stops, and stopped even when the test fails.
 */
final class ExternalProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int port;
    private final Process process;
    private final Path log;
    private final String keptAs;

    private ExternalProcess(int port, Process process, Path log, String keptAs) {
        this.port = port;
        this.process = process;
        this.log = log;
        this.keptAs = keptAs;
    }

    /**
     * Starts {@code command} with {@code --web.listen-address} on a free port, and waits until it is ready; its output
     * goes to {@code log}, kept as {@code target/<keptAs>} at close.
     */
    static ExternalProcess start(Path log, String keptAs, List<String> command)
            throws IOException, InterruptedException {
        Path binary = Path.of(command.get(0));
        if (!Files.isExecutable(binary)) {
            fail("%s is missing: install its Debian package (apt-get install prometheus prometheus-alertmanager; "
                    + ".ci/run does).", binary);
        }
        int port = freePort();
        List<String> listening = new ArrayList<>(command);
        listening.add("--web.listen-address=127.0.0.1:" + port);
        Process process = new ProcessBuilder(listening).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ExternalProcess started = new ExternalProcess(port, process, log, keptAs);
        try {
            await(binary.getFileName() + " ready").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> started.get("/-/ready").statusCode() == 200);
        }
        catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, then SIGKILL after 15 seconds; the log is copied to {@code target/}. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Files.createDirectories(Path.of("target"));
        if (Files.exists(log)) {
            Files.copy(log, Path.of("target", keptAs), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package dev.perpetual.selenium;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Selenium Grid standalone in its own JVM, on a free port, with Debian's chromedriver and chromium and one
 * session slot; started for the test class and stopped with everything it started. Its class path (Grid 4.47.0,
 * the newest on Maven Central) is written by the build into {@value #CLASSPATH_FILE}, apart from this module's.
 */
final class SeleniumGrid implements BeforeAllCallback, AfterAllCallback {

    static final String CLASSPATH_FILE = "target/grid/classpath.txt";
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private URI url;
    private Path log;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path classpath = Path.of(CLASSPATH_FILE);
        if (!Files.isRegularFile(classpath)) {
            throw new IllegalStateException("No Selenium Grid class path at [" + classpath.toAbsolutePath() + "]: "
                    + "the build writes it (selenium-probes' pom, execution grid-classpath); run the test with Maven");
        }
        int port = freePort();
        url = URI.create("http://127.0.0.1:" + port);
        log = Files.createDirectories(Path.of("target/grid")).resolve("grid-" + port + ".log");
        String args = "root".equals(System.getProperty("user.name")) ? ",\"args\":[\"--no-sandbox\"]" : "";
        String stereotype = "{\"browserName\":\"chrome\",\"goog:chromeOptions\":{\"binary\":\"/usr/bin/chromium\""
                + args + "}}";
        process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", Files.readString(classpath).strip(), "org.openqa.selenium.grid.Main", "standalone",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--selenium-manager", "false",
                "--detect-drivers", "false", "--driver-configuration", "display-name=chromium", "max-sessions=1",
                "webdriver-executable=/usr/bin/chromedriver", "stereotype=" + stereotype)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("Selenium Grid at " + url + " ready (log: " + log.toAbsolutePath() + ")").atMost(START_WAIT)
                .pollInterval(Duration.ofMillis(200))
                .failFast("the Grid exited; see " + log.toAbsolutePath(), () -> !process.isAlive())
                .until(this::ready);
    }

    private boolean ready() {
        try {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(url.resolve("/status"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return status.statusCode() == 200 && status.body().replace(" ", "").contains("\"ready\":true");
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        started.forEach(ProcessHandle::destroyForcibly);
        await("the Grid's chromedriver and chromium processes gone").atMost(STOP_WAIT)
                .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** The Grid's URL, for {@code perpetual.selenium.remote-url}. */
    String url() {
        return url.toString();
    }

    /** The main chromium processes the Grid's node runs now: the children of its chromedrivers. */
    List<ProcessHandle> browsers() {
        return process.descendants().filter(ProcessHandle::isAlive)
                .filter(process -> process.parent().flatMap(parent -> parent.info().command())
                        .filter(command -> command.endsWith("chromedriver")).isPresent())
                .filter(process -> process.info().command().orElse("").contains("chromium"))
                .toList();
    }
}

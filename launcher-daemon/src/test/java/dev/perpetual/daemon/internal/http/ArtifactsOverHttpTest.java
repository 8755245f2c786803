package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.selenium.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real {@code @Browser} probe fails in real Chromium on a page that shows a secret; the daemon serves its artifacts
 * under {@code /artifacts/{test}/{runId}/{file}}, links them from the run page with the screenshot shown, scrubs the
 * secret from the text ones (on disk too), and serves nothing else. The run page is looked at in headless Chromium:
 * the screenshot shows, and the page's HTML opens as text.
 */
class ArtifactsOverHttpTest {

    static final String TOKEN = "tok-shown-on-the-page-3b7e";
    static final String TEST = "ShopTestCase.showsTheSale";

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer site;

    @BeforeEach
    void startTheSite() throws IOException {
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", exchange -> {
            try (exchange) {
                String query = exchange.getRequestURI().getQuery();
                String token = query == null ? "" : query.substring(query.indexOf('=') + 1);
                byte[] body = ("<!doctype html><html><head><title>Shop</title></head><body><p>Signed in with " + token
                        + "</p><script>console.log('session " + token + "');</script></body></html>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        site.start();
    }

    @AfterEach
    void stopTheSite() {
        site.stop(0);
    }

    @Test
    void aFailedBrowserRunsArtifactsAreServedLinkedAndScrubbedAndPrunedOnesAreGone(@TempDir Path artifacts)
            throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of("--config", "perpetual.artifacts.dir=" + artifacts,
                "--config", "perpetual.artifacts.keep=1", "--config", "shop.token=" + TOKEN, "--config",
                "perpetual.env.shop-url=http://127.0.0.1:" + site.getAddress().getPort()), ShopTestCase.class)) {
            daemon.daemon.runOnce(java.time.Duration.ZERO);
            daemon.daemon.runOnce(java.time.Duration.ZERO);

            List<RunRecord> runs = daemon.runs(TEST);
            RunRecord pruned = runs.get(0);
            RunRecord run = runs.get(1);
            Path folder = artifacts.resolve(TEST).resolve(run.runId()).toAbsolutePath();
            assertThat(run.artifacts()).isEqualTo(folder.toString());
            String base = "/artifacts/" + TEST + "/" + run.runId() + "/";

            String page = daemon.get("/status/tests/" + TEST + "/runs/" + run.runId()).body();
            assertThat(page).contains("<ul class=\"artifacts\" id=\"artifact-links\"><li><a href=\"" + base
                    + "screenshot.png\">screenshot.png</a></li><li><a href=\"" + base + "page.html\">page.html</a>"
                    + "</li><li><a href=\"" + base + "console.log\">console.log</a></li><li><a href=\"" + base
                    + "network.log\">network.log</a></li></ul>")
                    .contains("<img id=\"screenshot\" class=\"screenshot\" alt=\"Screenshot of the failed page\" "
                            + "src=\"" + base + "screenshot.png\">");

            ChromeDriver chrome = Chrome.start(artifacts.resolveSibling(artifacts.getFileName() + "-chrome"), 1000, 800);
            try {
                chrome.get(daemon.daemon.localUrl() + "/status/tests/" + TEST + "/runs/" + run.runId());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat((Long) chrome
                        .executeScript("return document.getElementById('screenshot').naturalWidth"))
                        .as("the screenshot is shown, under the page's content security policy").isPositive());
                chrome.findElement(By.linkText("page.html")).click();
                assertThat(chrome.findElement(By.tagName("body")).getText()).contains("<p>Signed in with ****</p>");
            }
            finally {
                chrome.quit();
            }

            HttpResponse<byte[]> screenshot = bytes(daemon, base + "screenshot.png");
            assertThat(screenshot.statusCode()).isEqualTo(200);
            assertThat(screenshot.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(screenshot.body()).startsWith(0x89, 'P', 'N', 'G');

            HttpResponse<String> html = daemon.get(base + "page.html");
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(html.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(html.headers().firstValue("Content-Security-Policy")).hasValue("sandbox; default-src 'none'");
            assertThat(html.body()).contains("<p>Signed in with ****</p>").doesNotContain(TOKEN);
            assertThat(daemon.get(base + "console.log").body()).contains("session ****").doesNotContain(TOKEN);
            assertThat(daemon.get(base + "network.log").body()).contains("/shop?token=****")
                    .doesNotContain(TOKEN);
            for (String file : List.of("page.html", "console.log", "network.log")) {
                assertThat(folder.resolve(file)).as("on disk").content().doesNotContain(TOKEN).contains("****");
            }

            assertThat(daemon.get("/artifacts/" + TEST + "/" + pruned.runId() + "/page.html").body())
                    .isEqualTo("Run [" + pruned.runId() + "] of [" + TEST + "] has no page.html any more: pruned "
                            + "(perpetual.artifacts.keep), or never captured.\n");
            assertThat(daemon.get("/status/tests/" + TEST + "/runs/" + pruned.runId()).body())
                    .contains("<p class=\"muted\" id=\"artifact-links\">No longer kept (perpetual.artifacts.keep).</p>");
            HttpResponse<String> escape = daemon.get(base + "..%2F..%2F..%2Fetc%2Fpasswd");
            assertThat(escape.statusCode()).isEqualTo(404);
            assertThat(escape.body()).isEqualTo("[../../../etc/passwd] is not a browser artifact: a run's are "
                    + "screenshot.png, page.html, console.log, network.log.\n");
            assertThat(daemon.get("/artifacts/" + TEST + "/r-none/page.html").body())
                    .isEqualTo("Test [" + TEST + "] has no kept run [r-none]; see /api/tests/{name}/runs.\n");
            assertThat(daemon.get("/artifacts/Nope.nope/r-none/page.html").body())
                    .isEqualTo("No scheduled test is named [Nope.nope]; see /api/tests.\n");
        }
    }

    @Test
    void aRecordNamingAFolderOutsideTheArtifactsOrReachedThroughALinkGetsNothingServed(@TempDir Path artifacts,
            @TempDir Path outside) throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of("--config", "perpetual.artifacts.dir=" + artifacts,
                "--config", "perpetual.env.outside=" + outside), EscapingTestCase.class)) {
            daemon.daemon.runOnce(java.time.Duration.ZERO);

            for (String test : List.of("EscapingTestCase.namesAFolderOutside", "EscapingTestCase.linksOutside")) {
                RunRecord run = daemon.runs(test).get(0);
                assertThat(run.artifacts()).isNotNull();
                HttpResponse<String> response = daemon.get("/artifacts/" + test + "/" + run.runId() + "/page.html");
                assertThat(response.statusCode()).isEqualTo(404);
                assertThat(response.body()).isEqualTo("Run [" + run.runId() + "] of [" + test + "] has no page.html "
                        + "any more: pruned (perpetual.artifacts.keep), or never captured.\n");
                assertThat(daemon.get("/status/tests/" + test + "/runs/" + run.runId()).body())
                        .doesNotContain("/artifacts/" + test);
            }
        }
    }

    private HttpResponse<byte[]> bytes(TestDaemon daemon, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(daemon.daemon.localUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Browser
    static class ShopTestCase {

        @Perpetual(period = "1h", timeout = "30s")
        void showsTheSale(WebDriver driver, O o) {
            driver.get(o.requireConfig("perpetual.env.shop-url") + "/shop?token=" + o.requireConfig("shop.token"));
            org.assertj.core.api.Assertions.assertThat(driver.getTitle()).as("title").isEqualTo("Sale");
        }
    }

    /** Tests that name artifacts the pool did not write: another folder, and a run folder that is a link out. */
    static class EscapingTestCase {

        @Perpetual(period = "1h")
        void namesAFolderOutside(O o, org.junit.jupiter.api.TestReporter reporter) throws IOException {
            Path folder = Files.createDirectories(Path.of(o.requireConfig("perpetual.env.outside"), "x", o.runId()));
            Files.writeString(folder.resolve("page.html"), "outside");
            reporter.publishEntry("perpetual.browser.artifacts", folder.toString());
            throw new AssertionError("failed");
        }

        @Perpetual(period = "1h")
        void linksOutside(O o, org.junit.jupiter.api.TestReporter reporter) throws IOException {
            Path target = Files.createDirectories(Path.of(o.requireConfig("perpetual.env.outside"), "y"));
            Files.writeString(target.resolve("page.html"), "outside");
            Path folder = Path.of(o.requireConfig(dev.perpetual.Constants.ARTIFACTS_DIR), "EscapingTestCase.linksOutside",
                    o.runId());
            Files.createDirectories(folder.getParent());
            Files.createSymbolicLink(folder, target);
            reporter.publishEntry("perpetual.browser.artifacts", folder.toAbsolutePath().toString());
            throw new AssertionError("failed");
        }
    }
}

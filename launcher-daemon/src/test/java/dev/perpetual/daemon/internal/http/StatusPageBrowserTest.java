package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** /status in a real headless Chromium, against a daemon running fixture tests in this JVM. */
class StatusPageBrowserTest {

    private static final String RED = "rgba(207, 34, 46, 1)";
    private static final String GREEN = "rgba(45, 164, 78, 1)";

    @TempDir
    static Path profile;

    private static ChromeDriver chrome;
    private TestDaemon daemon;

    @BeforeAll
    static void startChrome() {
        chrome = Chrome.start(profile, 1500, 900);
    }

    @AfterAll
    static void quitChrome() {
        if (chrome != null) {
            chrome.quit();
        }
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aFailingTestShowsRedCellsAndItsFailureLinkOpensTheRunWithItsLogAndMessage() throws Exception {
        daemon = TestDaemon.scheduling(ShopTestCase.class);
        daemon.awaitRuns("shop.checkout", 2);
        daemon.awaitRuns("shop.browse", 2);

        chrome.get(daemon.daemon.localUrl() + "/status");

        assertThat(chrome.getTitle()).isEqualTo("Perpetual status");
        WebElement checkout = test("shop.checkout");
        List<WebElement> failed = checkout.findElements(By.cssSelector(".strip a.c.fail"));
        assertThat(failed).isNotEmpty();
        assertThat(failed.get(0).getCssValue("background-color")).isEqualTo(RED);
        assertThat(failed.get(0).getAttribute("title")).contains(" · fail: confirmation status ==> expected: <200> "
                + "but was: <500>");
        assertThat(checkout.findElements(By.cssSelector(".strip a.c.pass"))).isEmpty();
        WebElement browse = test("shop.browse");
        assertThat(browse.findElements(By.cssSelector(".strip a.c.fail"))).isEmpty();
        assertThat(browse.findElement(By.cssSelector(".strip a.c.pass")).getCssValue("background-color"))
                .isEqualTo(GREEN);
        assertThat(browse.findElements(By.cssSelector("tr.failure"))).isEmpty();
        assertThat(chrome.findElement(By.id("failing-count")).getText()).isEqualTo("1 failing");

        checkout.findElement(By.cssSelector("tr.failure a.details")).click();

        new WebDriverWait(chrome, Duration.ofSeconds(10))
                .until(ExpectedConditions.urlContains("/status/tests/shop.checkout/runs/"));
        assertThat(chrome.findElement(By.id("outcome")).getText()).isEqualTo("fail");
        assertThat(chrome.findElement(By.id("message")).getText())
                .isEqualTo("confirmation status ==> expected: <200> but was: <500>");
        assertThat(chrome.findElements(By.cssSelector("#log li")).stream().map(WebElement::getText))
                .containsExactly("cart holds 2 items", "[pay] paid with the test card");
        assertThat(chrome.findElement(By.id("steps")).getText()).contains("pay", "pass");
        assertThat(chrome.findElement(By.id("stack")).getText()).contains("ShopTestCase.checkout");
    }

    @Test
    void markupInAMessageOrALogLineIsShownAsTextAndNeverRuns() throws Exception {
        daemon = TestDaemon.scheduling(MarkupTestCase.class);
        daemon.awaitRuns("MarkupTestCase.injects", 1);

        chrome.get(daemon.daemon.localUrl() + "/status");

        WebElement message = test("MarkupTestCase.injects").findElement(By.cssSelector("tr.failure .message"));
        assertThat(message.getText()).isEqualTo(MarkupTestCase.MARKUP);
        assertThat(message.findElements(By.xpath("./*"))).as("no element made from the message").isEmpty();
        test("MarkupTestCase.injects").findElement(By.cssSelector("tr.failure a.details")).click();
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/runs/"));
        assertThat(chrome.findElement(By.id("message")).getText()).isEqualTo(MarkupTestCase.MARKUP);
        assertThat(chrome.findElement(By.cssSelector("#log li")).getText())
                .isEqualTo("logged " + MarkupTestCase.MARKUP);
        assertThat(chrome.getTitle()).startsWith("fail · MarkupTestCase.injects");
        assertThat(chrome.executeScript("return window.injected === undefined")).isEqualTo(true);
    }

    @Test
    void theTableRefreshesInPlaceWithoutReloadingThePage() throws Exception {
        daemon = TestDaemon.scheduling(ShopTestCase.class);
        daemon.awaitRuns("shop.browse", 1);
        chrome.get(daemon.daemon.localUrl() + "/status?refresh=300ms");
        chrome.executeScript("window.sameDocument = true");
        long before = runs("shop.browse");

        await().atMost(Duration.ofSeconds(10)).until(() -> runs("shop.browse") > before);

        assertThat(chrome.executeScript("return window.sameDocument === true")).as("not reloaded").isEqualTo(true);
        assertThat(chrome.findElement(By.id("tests")).getAttribute("data-refreshed")).isNotBlank();
        assertThat(chrome.findElement(By.id("refresh-state")).getText()).startsWith("live");
    }

    @Test
    void theButtonsRunPauseAndResumeATestWithTheTokenTypedInAndSayWhyWithout() throws Exception {
        daemon = TestDaemon.scheduling(List.of("--config", "perpetual.admin.token=page-token"), HourlyTestCase.class);
        String name = "HourlyTestCase.check";
        chrome.get(daemon.daemon.localUrl() + "/status?refresh=300ms");
        chrome.executeScript("sessionStorage.clear()");
        chrome.navigate().refresh();

        click(name, "run");
        awaitControlState("Send the token of perpetual.admin.token as the header Authorization: Bearer <token>.");
        assertThat(daemon.runs(name)).isEmpty();

        WebElement token = chrome.findElement(By.id("admin-token"));
        token.sendKeys("page-token");
        click(name, "run");
        String said = awaitControlState("Started run ");
        String runId = said.substring("Started run ".length(), said.indexOf(" of "));
        assertThat(said).isEqualTo("Started run " + runId + " of " + name);
        await().atMost(Duration.ofSeconds(20)).until(() -> daemon.runs(name).stream()
                .anyMatch(run -> run.runId().equals(runId)));

        click(name, "pause");
        awaitControlState("Paused " + name);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !test(name).findElements(
                By.cssSelector(".paused"))
                .isEmpty() && !test(name).findElements(By.cssSelector("button[data-action='resume']")).isEmpty());
        assertThat(daemon.get("/api/tests").body()).contains("\"paused\":true");

        click(name, "resume");
        awaitControlState("Resumed " + name);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> test(name).findElements(
                By.cssSelector(".paused")).isEmpty());
        assertThat(daemon.get("/api/tests").body()).contains("\"paused\":false");
    }

    @Test
    void withoutATokenConfiguredTheButtonsSayHowToTurnControlOn() throws Exception {
        daemon = TestDaemon.scheduling(HourlyTestCase.class);
        chrome.get(daemon.daemon.localUrl() + "/status");

        click("HourlyTestCase.check", "pause");

        awaitControlState("Running, pausing and resuming tests is off: start the daemon with --config "
                + "perpetual.admin.token=<a secret>, and send it as the header Authorization: Bearer <the secret>.");
        assertThat(daemon.get("/api/tests").body()).contains("\"paused\":false");
    }

    /**
     * Clicks the button of {@code action} in {@code test}'s row, found afresh and again if the table was replaced
     * (it refreshes) between finding it and clicking it.
     */
    private static void click(String test, String action) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            WebElement button = test(test).findElement(By.cssSelector("button.control[data-action='" + action
                    + "']"));
            if (!button.isEnabled()) {
                return false;
            }
            button.click();
            return true;
        });
    }

    /** Waits for the control state to start with {@code text}; its whole text. */
    private static String awaitControlState(String text) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> chrome.findElement(By.id("control-state"))
                .getText(), said -> said.startsWith(text));
    }

    static class HourlyTestCase {
        @Perpetual(period = "1h", timeout = "5s")
        void check(O o) {
            o.log("checked");
        }
    }

    /** Writes target/status-page.png: a realistic page (docs/status-page.png is a copy of it). */
    @Test
    void screenshotOfARealisticStatusPage() throws Exception {
        daemon = TestDaemon.of(List.of("--config", "perpetual.test.legacy.export.enabled=false"),
                StoreFrontTestCase.class);
        StoreFrontTestCase.History.fill(daemon.daemon.results());

        chrome.get(daemon.daemon.localUrl() + "/status");
        long height = (Long) chrome.executeScript("return Math.ceil(document.body.getBoundingClientRect().height)"
                + " + window.outerHeight - window.innerHeight");
        chrome.manage().window().setSize(new Dimension(1500, (int) height));
        assertThat(test("checkout.order-confirmed").findElements(By.cssSelector(".strip a.c.fail"))).hasSize(5);
        Path page = Chrome.screenshot(chrome, Path.of("target", "status-page.png"));

        test("checkout.order-confirmed").findElement(By.cssSelector("tr.failure a.details")).click();
        new WebDriverWait(chrome, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/runs/"));
        chrome.manage().window().setSize(new Dimension(1200, 900));
        assertThat(chrome.findElement(By.id("artifacts")).getText())
                .isEqualTo("/var/lib/perpetual/artifacts/checkout.order-confirmed/r-0099");
        Chrome.screenshot(chrome, Path.of("target", "status-run-page.png"));
        assertThat(page).isNotEmptyFile();
    }

    private static WebElement test(String name) {
        return chrome.findElement(By.cssSelector("tbody.test[data-test='" + name + "']"));
    }

    /** The Runs column, read in one script: the table may be replaced between two WebDriver calls. */
    private static long runs(String name) {
        return Long.parseLong((String) chrome.executeScript("return document.querySelector("
                + "\"tbody.test[data-test='\" + arguments[0] + \"']\").querySelectorAll('td.num')[3].textContent",
                name));
    }

    static class ShopTestCase {

        @Perpetual(period = "100ms", timeout = "2s", name = "shop.browse")
        void browse(O o) {
            o.log("opened the catalogue");
        }

        @Perpetual(period = "100ms", timeout = "2s", name = "shop.checkout")
        void checkout(O o) {
            o.log("cart holds 2 items");
            o.step("pay", () -> o.log("paid with the test card"));
            assertEquals(200, 500, "confirmation status");
        }
    }

    static class MarkupTestCase {

        static final String MARKUP = "<script>window.injected = 1</script><img src=x onerror=\"window.injected = 2\">"
                + " & 'quotes'";

        @Perpetual(period = "200ms", timeout = "2s")
        void injects(O o) {
            o.log("logged " + MARKUP);
            o.fail(MARKUP);
        }
    }
}

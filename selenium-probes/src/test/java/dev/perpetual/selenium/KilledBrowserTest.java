package dev.perpetual.selenium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.openqa.selenium.WebDriver;

class KilledBrowserTest {

    @RegisterExtension
    static final TestSite site = new TestSite();

    @Test
    @DisplayName("a browser killed mid-run fails that run as an error, is replaced for the next run, and no chromium "
            + "or chromedriver process outlives the session")
    void killedBrowserIsReplaced() {
        EngineExecutionResults results = BrowserProbeTest.execute(KilledBrowserTestCase.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(BrowserCrashedException.class).isNotInstanceOf(AssertionError.class)
                .hasMessageContaining("KilledBrowserTestCase.browserDiesMidRun crashed or stopped answering");
        assertThat(KilledBrowserTestCase.chromiumPids).hasSize(2).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Chromium.processesOfThisJvm()).isEmpty());
    }

    @Browser
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class KilledBrowserTestCase {

        static final List<Long> chromiumPids = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** The run's main chromium process. */
        ProcessHandle mainChromium() {
            return Chromium.mainProcessOfThisJvm();
        }

        String shopPage() {
            return site.url("/shop").toString();
        }

        /** Where the runs note their chromium's pid. */
        List<Long> pids() {
            return chromiumPids;
        }

        @Test
        @Order(1)
        void browserDiesMidRun(WebDriver driver) {
            driver.get(shopPage());
            ProcessHandle chromium = mainChromium();
            pids().add(chromium.pid());
            chromium.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !chromium.isAlive());

            driver.getTitle();
        }

        @Test
        @Order(2)
        void nextRunGetsFreshBrowser(WebDriver driver) {
            driver.get(shopPage());
            pids().add(mainChromium().pid());

            assertThat(driver.getTitle()).isEqualTo(TestSite.TITLE);
        }
    }

    /** The browser processes this JVM's pool started, found by the directory their command lines name. */
    static final class Chromium {

        static final Path MINE = Path.of(System.getProperty("java.io.tmpdir"), "perpetual-selenium",
                "jvm-" + ProcessHandle.current().pid()).toAbsolutePath();

        static List<ProcessHandle> processesOfThisJvm() {
            return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .filter(process -> commandLine(process).contains(MINE.toString())).toList();
        }

        static ProcessHandle mainProcessOfThisJvm() {
            List<ProcessHandle> main = processesOfThisJvm().stream()
                    .filter(process -> !commandLine(process).contains("--type="))
                    .filter(process -> !commandLine(process).contains("chromedriver")).toList();
            assertThat(main).as("main chromium processes of this JVM").hasSize(1);
            return main.get(0);
        }

        private static String commandLine(ProcessHandle process) {
            return process.info().command().orElse("") + " "
                    + String.join(" ", process.info().arguments().orElse(new String[0]));
        }
    }
}

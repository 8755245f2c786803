package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.perpetual.internal.trace.W3cRunTrace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;

class BrowserPoolTest {

    @TempDir
    Path temp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private RunIdentity run() {
        Supplier<Duration> remaining = () -> Duration.ofSeconds(30);
        String runId = UUID.randomUUID().toString();
        return new RunIdentity("BrowserPoolTest.run", runId, registry, remaining,
                W3cRunTrace.start("test", "BrowserPoolTest.run", runId));
    }

    private BrowserPool pool() {
        return BrowserPool.create(BrowserSettings.from(key -> Optional.empty()), new TempRoot(temp.resolve("root")));
    }

    @Test
    @DisplayName("reuses one browser across runs, each in a fresh user context where the last run's cookies, "
            + "storage and cache are gone, and leaves no process after close")
    void reusesBrowserIsolatesRunsAndLeavesNothingBehind() {
        BrowserPool pool = pool();
        long firstPid;
        String firstTab;
        try (AnalyticsServer site = AnalyticsServer.start(PageServerSettings.from(key -> Optional.empty()))) {
            String page = site.baseUrl().resolve("/analytics/probe.html").toString();
            try (BrowserRun first = pool.open(run(), Duration.ofSeconds(30))) {
                first.driver().get(page);
                first.driver().manage().addCookie(new Cookie("session", "first-run"));
                script(first, "localStorage.setItem('k', 'first-run'); sessionStorage.setItem('k', 'first-run');"
                        + " return caches.open('c').then(c => c.put('/x', new Response('first-run')));");
                assertThat(first.driver().manage().getCookieNamed("session")).isNotNull();
                firstPid = first.browser().chromium().pid();
                firstTab = first.tabId();
            }
            for (int i = 0; i < 2; i++) {
                try (BrowserRun next = pool.open(run(), Duration.ofSeconds(30))) {
                    next.driver().get(page);
                    assertThat(next.browser().chromium().pid()).isEqualTo(firstPid);
                    assertThat(next.tabId()).isNotEqualTo(firstTab);
                    assertThat(next.driver().manage().getCookies()).isEmpty();
                    assertThat(script(next, "return [localStorage.length, sessionStorage.length,"
                            + " (await caches.keys()).length].join(',')")).isEqualTo("0,0,0");
                    assertThat(next.driver().getWindowHandles()).hasSize(2);
                }
            }
        }
        Path mine = pool.root().mine();
        assertThat(BrowserProcesses.under(mine)).isNotEmpty();

        pool.close();

        assertThat(BrowserProcesses.under(mine)).isEmpty();
        assertThat(mine).doesNotExist();
    }

    @Test
    @DisplayName("replaces a browser that stopped answering, counting a restart in the run's meters")
    void replacesHungBrowser() throws Exception {
        try (BrowserPool pool = pool()) {
            BrowserRun hung = pool.open(run(), Duration.ofSeconds(30));
            ProcessHandle chromium = hung.browser().chromium();
            signal("STOP", chromium);

            assertThat(hung.alive()).isFalse();
            hung.close();

            assertThat(chromium.isAlive()).isFalse();
            assertThat(registry.get(BrowserMeters.RESTARTS).counter().count()).isEqualTo(1);
            try (BrowserRun next = pool.open(run(), Duration.ofSeconds(30))) {
                next.driver().get("data:text/html,<title>fresh</title>");
                assertThat(next.driver().getTitle()).isEqualTo("fresh");
                assertThat(next.browser().chromium().pid()).isNotEqualTo(chromium.pid());
            }
        }
    }

    @Test
    @DisplayName("at start, kills the browsers of a JVM that died and deletes their directory")
    void sweepsOrphansOfDeadJvm() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        TempRoot root = new TempRoot(temp.resolve("root"));
        Path profile = root.root().resolve("jvm-" + gone.pid()).resolve("browser-1").resolve("profile");
        Files.createDirectories(profile);
        Process orphan = new ProcessBuilder(BrowserSettings.CHROME_BINARY_DEFAULT, "--headless=new", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(temp.resolve("orphan.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !BrowserProcesses.under(profile).isEmpty());

            List<ProcessHandle> swept = root.sweepOrphans();

            assertThat(swept).extracting(ProcessHandle::pid).contains(orphan.pid());
            assertThat(orphan.isAlive()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> BrowserProcesses.under(profile).isEmpty());
            // A dying browser's last child may still write into the profile as the sweep deletes it: the next sweep
            // (the next daemon start) takes what it left.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                root.sweepOrphans();
                assertThat(profile.getParent().getParent()).doesNotExist();
            });
        }
        finally {
            BrowserProcesses.kill(profile); // the browser this test started, whatever happened above
            orphan.destroyForcibly().waitFor();
        }
    }

    /** Runs {@code body} as an async function in the run's page and answers its result. */
    private static Object script(BrowserRun run, String body) {
        return ((JavascriptExecutor) run.driver()).executeAsyncScript("const done = arguments[0];"
                + " (async () => { " + body + " })().then(done, e => done('failed: ' + e));");
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }
}

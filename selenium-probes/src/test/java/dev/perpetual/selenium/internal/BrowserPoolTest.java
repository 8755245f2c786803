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

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserPoolTest {

    @TempDir
    Path temp;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private RunIdentity run() {
        Supplier<Duration> remaining = () -> Duration.ofSeconds(30);
        return new RunIdentity("BrowserPoolTest.run", UUID.randomUUID().toString(), registry, remaining);
    }

    private BrowserPool pool() {
        return BrowserPool.create(BrowserSettings.from(key -> Optional.empty()), new TempRoot(temp.resolve("root")));
    }

    @Test
    @DisplayName("reuses one browser across runs, each in a fresh user context, and leaves no process after close")
    void reusesBrowserAndLeavesNothingBehind() {
        BrowserPool pool = pool();
        long firstPid;
        try (BrowserRun first = pool.open(run(), Duration.ofSeconds(30))) {
            first.driver().get("data:text/html,<title>one</title>");
            first.driver().manage().addCookie(new org.openqa.selenium.Cookie("k", "v"));
            firstPid = first.browser().chromium().pid();
        }
        catch (org.openqa.selenium.InvalidCookieDomainException dataUrlsHaveNoCookies) {
            firstPid = pool.browsers().get(0).chromium().pid();
        }
        try (BrowserRun second = pool.open(run(), Duration.ofSeconds(30))) {
            assertThat(second.browser().chromium().pid()).isEqualTo(firstPid);
            assertThat(second.driver().getWindowHandles()).hasSize(2);
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
        await().atMost(Duration.ofSeconds(10)).until(() -> BrowserProcesses.under(profile).size() > 1);

        List<ProcessHandle> swept = root.sweepOrphans();

        assertThat(swept).extracting(ProcessHandle::pid).contains(orphan.pid());
        assertThat(orphan.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> BrowserProcesses.under(profile).isEmpty());
        assertThat(profile.getParent().getParent()).doesNotExist();
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }
}

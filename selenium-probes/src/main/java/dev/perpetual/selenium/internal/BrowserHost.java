package dev.perpetual.selenium.internal;

import java.util.Optional;

import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Where one pooled browser runs: a chromedriver and Chromium on this machine ({@link LocalChrome}), or a session
 * on a Selenium Grid ({@link GridSession}). The pool treats both alike; only starting, the liveness of local
 * processes and the clean-up after quitting differ.
 */
interface BrowserHost {

    /** The session's driver; it has a WebDriver BiDi connection (capability {@code webSocketUrl}). */
    RemoteWebDriver driver();

    /** Whether the processes behind the session are still running, as far as this machine can tell. */
    boolean running();

    /** The main Chromium process, when it runs on this machine. */
    Optional<ProcessHandle> chromium();

    /** After {@code quit()} (or instead of it, when the browser hangs): whatever is left on this machine. */
    void cleanUp();

    /** The headless Chrome options both hosts start with; BiDi ({@code webSocketUrl}) on. */
    static ChromeOptions headlessOptions() {
        ChromeOptions options = new ChromeOptions();
        options.addArguments("--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio",
                "--window-size=1280,800");
        options.setCapability("webSocketUrl", true);
        return options;
    }
}

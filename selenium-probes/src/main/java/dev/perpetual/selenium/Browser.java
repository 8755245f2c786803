package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.perpetual.selenium.internal.BrowserExtension;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class's methods a real headless Chromium: declare a {@link org.openqa.selenium.WebDriver},
 * {@link BrowserNetwork} or {@link AnalyticsProbe} parameter.
 *
 * <pre>
 * &#64;Browser
 * class StorefrontProbes {
 *     &#64;Perpetual(period = "1m", timeout = "20s")
 *     void homePageLoads(WebDriver driver, BrowserNetwork network) {
 *         driver.get("https://shop.example.com/");
 *         assertThat(driver.getTitle()).contains("Shop");
 *         CapturedRequest api = network.await(request -&gt; request.url().getPath().equals("/api/cart"));
 *         assertThat(api.status()).isEqualTo(200);
 *     }
 * }
 * </pre>
 *
 * <h2>The browser pool</h2>
 * Browsers are started once per launcher session (one {@code mvn test}, or the daemon's whole life) and reused:
 * each run gets a fresh, isolated state (a new WebDriver BiDi user context, so no cookies or storage from earlier
 * runs) in a new tab, closed when the run ends. At most {@value dev.perpetual.Constants#SELENIUM_POOL_SIZE}
 * browsers run at once (default 1); a run waits for a free one. Binaries come from
 * {@value dev.perpetual.Constants#SELENIUM_CHROME_BINARY} (default {@code /usr/bin/chromium}) and
 * {@value dev.perpetual.Constants#SELENIUM_DRIVER_BINARY} (default {@code /usr/bin/chromedriver}); on Debian,
 * {@code apt-get install -y chromium chromium-driver}.
 *
 * <h2>The run's trace headers</h2>
 * The page's requests to the origin of the first page a run opens, or to the origins of
 * {@value dev.perpetual.Constants#TENANCY_BROWSER_ORIGINS}, carry the run's {@code traceparent}, {@code tracestate}
 * and {@code baggage} ({@link dev.perpetual.RunTrace#headers()}), so the system under test tells test traffic apart;
 * requests to other origins are not touched.
 *
 * <h2>When a run fails</h2>
 * A screenshot ({@code screenshot.png}), the page ({@code page.html}), the console ({@code console.log}) and the
 * network log ({@code network.log}) are saved under {@code <perpetual.artifacts.dir>/<test>/<runId>/}, and the
 * failure message names that folder; at most {@value dev.perpetual.Constants#ARTIFACTS_KEEP} runs (default 20)
 * are kept per test. A browser that crashed or stopped answering is replaced, and the run fails with a
 * {@link BrowserCrashedException}: an error of the probe, not a failure of the site.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(BrowserExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Browser {
}

package dev.perpetual.selenium.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Set;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.decorators.Decorated;
import org.openqa.selenium.support.decorators.WebDriverDecorator;

/**
 * The {@link WebDriver} a run sees: the pooled browser's driver, recording the navigation timing of every page
 * it loads, and refusing {@code quit()}, since the pool owns the browser.
 */
final class PooledDriver extends WebDriverDecorator<WebDriver> {

    private static final Set<String> NAVIGATIONS = Set.of("get", "to", "refresh", "back", "forward");
    /** The page's load time in milliseconds, or -1; a JavaScript expression. */
    static final String NAVIGATION_MILLIS = "(() => { const n = performance.getEntriesByType('navigation')[0];"
            + " return n ? (n.loadEventEnd > 0 ? n.loadEventEnd : n.domComplete) - n.startTime : -1; })()";

    private final RunIdentity run;
    private WebDriver original;

    private PooledDriver(RunIdentity run) {
        super(WebDriver.class);
        this.run = run;
    }

    static WebDriver decorate(WebDriver driver, RunIdentity run) {
        PooledDriver decorator = new PooledDriver(run);
        decorator.original = driver;
        return decorator.decorate(driver);
    }

    @Override
    public Object call(Decorated<?> target, Method method, Object[] args) throws Throwable {
        boolean driverCall = target.getOriginal() instanceof WebDriver;
        if (driverCall && method.getName().equals("quit")) {
            throw new UnsupportedOperationException("The browser belongs to the @Browser pool, which quits it when "
                    + "the launcher session ends; do not call quit(). Each run already gets a fresh tab and state.");
        }
        Object result = super.call(target, method, args);
        boolean navigation = (driverCall && method.getName().equals("get"))
                || (target.getOriginal() instanceof WebDriver.Navigation && NAVIGATIONS.contains(method.getName()));
        if (navigation) {
            recordPageLoad();
        }
        return result;
    }

    private void recordPageLoad() {
        recordPageLoad(run, ((JavascriptExecutor) original).executeScript("return " + NAVIGATION_MILLIS));
    }

    /** Records {@code millis}, the value of {@link #NAVIGATION_MILLIS}, as the run's page load time. */
    static void recordPageLoad(RunIdentity run, Object millis) {
        if (millis instanceof Number number && number.doubleValue() >= 0) {
            BrowserMeters.pageLoad(run.metrics(), Duration.ofNanos((long) (number.doubleValue() * 1_000_000)));
        }
    }
}

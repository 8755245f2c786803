package dev.perpetual.selenium.internal;

import java.net.URI;
import java.util.Objects;

import dev.perpetual.selenium.AnalyticsPage;
import dev.perpetual.selenium.AnalyticsProbe;

/** Opens the session server's probe page in the run's tab and waits until analytics.js is ready. */
final class LocalAnalyticsProbe implements AnalyticsProbe {

    private static final String AWAIT_READY = "const done = arguments[arguments.length - 1];"
            + " window.perpetualAnalytics.then(() => done(null), e => done(String(e && e.stack || e)));";

    private final AnalyticsServer server;
    private final BrowserRun run;

    LocalAnalyticsProbe(AnalyticsServer server, BrowserRun run) {
        this.server = server;
        this.run = run;
    }

    @Override
    public AnalyticsPage open() {
        return open(server.baseUrl(), LOCAL_WRITE_KEY);
    }

    @Override
    public AnalyticsPage open(URI apiHost, String writeKey) {
        Objects.requireNonNull(apiHost, "apiHost");
        if (apiHost.getScheme() == null || apiHost.getRawAuthority() == null) {
            throw new IllegalArgumentException("apiHost must be an absolute http(s) URL such as "
                    + "https://api.segment.io, not [" + apiHost + "]");
        }
        URI page = server.pageUrl(apiHost, writeKey);
        run.driver().get(page.toString());
        Object problem = ((org.openqa.selenium.JavascriptExecutor) run.driver()).executeAsyncScript(AWAIT_READY);
        if (problem != null) {
            throw new IllegalStateException("analytics.js did not load on the probe page [" + page + "]: " + problem);
        }
        return new ProbePage(run, apiHost, writeKey);
    }

    @Override
    public URI localCollector() {
        return server.baseUrl().resolve("/v1/");
    }
}

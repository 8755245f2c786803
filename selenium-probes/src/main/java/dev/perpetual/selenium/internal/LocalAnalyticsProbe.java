package dev.perpetual.selenium.internal;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import dev.perpetual.selenium.AnalyticsPage;
import dev.perpetual.selenium.AnalyticsProbe;

/** Opens the session server's probe page in the run's tab and waits until analytics.js is ready. */
final class LocalAnalyticsProbe implements AnalyticsProbe {

    /** Waits for analytics.js and answers [problem or null, the page's load time]: one round trip, not two. */
    private static final String AWAIT_READY = "const done = arguments[arguments.length - 1];"
            + " window.perpetualAnalytics.then(() => done([null, " + PooledDriver.NAVIGATION_MILLIS + "]),"
            + " e => done([String(e && e.stack || e), " + PooledDriver.NAVIGATION_MILLIS + "]));";

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
        // The beacons are the point: by default, their collector's origin is marked with the probe page's.
        Origin.of(apiHost).ifPresent(run::alsoMark);
        // The browser's own driver: the page load time comes back with AWAIT_READY.
        run.browser().driver().get(page.toString());
        List<?> ready = (List<?>) run.browser().driver().executeAsyncScript(AWAIT_READY);
        PooledDriver.recordPageLoad(run.identity(), ready.get(1));
        Object problem = ready.get(0);
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

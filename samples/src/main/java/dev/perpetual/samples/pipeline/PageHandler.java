package dev.perpetual.samples.pipeline;

import java.io.IOException;
import java.io.InputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A customer's page: {@code GET /page?writeKey=…&probe=…} loads the real analytics.js bundle (served under
 * {@code /analytics/}, from the selenium-probes artifact, which fetches it from npm at build time), sends a
 * {@code page} call and a {@code Probe Page Viewed} track call carrying the probe id to this pipeline's Tracking
 * API, and sets the title to {@code tracked} once both were accepted.
 */
final class PageHandler implements HttpHandler {

    private static final String BUNDLE_DIRECTORY = "/dev/perpetual/selenium/analytics/";

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>loading</title>
              <script src="/analytics/index.js"></script>
              <script>
                (function () {
                  var query = new URLSearchParams(location.search);
                  var writeKey = query.get('writeKey') || 'unknown';
                  var probe = query.get('probe') || '';
                  var apiHost = location.host + '/v1';
                  var protocol = location.protocol.replace(':', '');
                  AnalyticsNext.AnalyticsBrowser.load(
                    { writeKey: writeKey,
                      cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost: apiHost, protocol: protocol } } } },
                    { integrations: { 'Segment.io': { apiHost: apiHost, protocol: protocol } } }
                  ).then(function (loaded) {
                    var analytics = loaded[0];
                    return Promise.all([
                      analytics.page('Probe', 'Landing', { probeId: probe }),
                      analytics.track('Probe Page Viewed', { probeId: probe })
                    ]);
                  }).then(function () { document.title = 'tracked'; },
                          function (e) { document.title = 'failed: ' + e; });
                })();
              </script>
            </head>
            <body><h1>A page with analytics.js</h1></body>
            </html>
            """;

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/page")) {
            Http.text(exchange, 200, "text/html; charset=utf-8", PAGE);
            return;
        }
        String name = path.substring("/analytics/".length());
        InputStream bundle = name.matches("[A-Za-z0-9._-]+") && name.endsWith(".js")
                ? PageHandler.class.getResourceAsStream(BUNDLE_DIRECTORY + name) : null;
        if (bundle == null) {
            Http.text(exchange, 404, "text/plain; charset=utf-8", "no such file: " + path
                    + (name.equals("index.js") ? " (the analytics.js bundle comes from perpetual-selenium-probes; "
                            + "build it with npm installed)" : ""));
            return;
        }
        try (bundle) {
            exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
            Http.send(exchange, 200, "text/javascript; charset=utf-8", bundle.readAllBytes());
        }
    }
}

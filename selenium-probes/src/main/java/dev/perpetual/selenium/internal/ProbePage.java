package dev.perpetual.selenium.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.perpetual.selenium.AnalyticsPage;
import dev.perpetual.selenium.Beacon;
import dev.perpetual.selenium.CapturedRequest;
import org.openqa.selenium.JavascriptExecutor;

/** The probe page of one run: each call goes through the real analytics.js and is followed to the collector. */
final class ProbePage implements AnalyticsPage {

    /** Calls analytics[method](...args) and answers the call's browser time and the event's messageId. */
    private static final String CALL = "const done = arguments[arguments.length - 1];"
            + " const method = arguments[0], args = arguments[1], startedAt = Date.now();"
            + " window.analytics[method](...args).then("
            + "   ctx => done({ startedAt: startedAt, messageId: ctx.event.messageId }),"
            + "   e => done({ startedAt: startedAt, error: String(e) }));";

    private final BrowserRun run;
    private final URI apiHost;
    private final String writeKey;

    ProbePage(BrowserRun run, URI apiHost, String writeKey) {
        this.run = run;
        this.apiHost = apiHost;
        this.writeKey = writeKey;
    }

    @Override
    public Beacon track(String event, Map<String, ?> properties) {
        return call("track", "t", List.of(event, properties));
    }

    @Override
    public Beacon page(String category, String name) {
        return call("page", "p", List.of(category, name));
    }

    private Beacon call(String method, String endpoint, List<Object> args) {
        Map<?, ?> result = (Map<?, ?>) ((JavascriptExecutor) run.driver()).executeAsyncScript(CALL, method, args);
        if (result.get("error") != null) {
            throw new AssertionError(String.format("analytics.%s() failed in the page: %s", method, result.get("error")));
        }
        long startedAt = ((Number) result.get("startedAt")).longValue();
        String messageId = (String) result.get("messageId");
        String path = "/v1/" + endpoint;
        CapturedRequest request = run.recorder().await(candidate -> candidate.method().equals("POST")
                && candidate.url().getPath().endsWith(path) && candidate.body().contains(messageId));
        if (request.status() < 200 || request.status() > 299) {
            throw new AssertionError(String.format("The %s beacon %s to the collector at [%s] (write key %s) was "
                    + "not accepted: %s", method, messageId, apiHost, writeKey,
                    request.error().orElse("HTTP " + request.status())));
        }
        long answeredAt = request.startedAt().toEpochMilli() + request.duration().toMillis();
        Duration latency = Duration.ofMillis(Math.max(0, answeredAt - startedAt));
        BrowserMeters.beaconLatency(run.identity().metrics(), latency);
        return new ProbeBeacon(request, messageId, latency);
    }

    private record ProbeBeacon(CapturedRequest request, String messageId, Duration latency) implements Beacon {
    }
}

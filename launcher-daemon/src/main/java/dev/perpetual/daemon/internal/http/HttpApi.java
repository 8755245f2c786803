package dev.perpetual.daemon.internal.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.perpetual.daemon.internal.records.DaemonMetrics;
import dev.perpetual.daemon.internal.records.Results;
import dev.perpetual.daemon.internal.records.RunHistory;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.daemon.internal.records.TraceLinks;
import dev.perpetual.daemon.internal.records.Views;
import dev.perpetual.daemon.internal.workers.Workers;
import dev.perpetual.spi.Durations;
import dev.perpetual.worker.internal.Failures;
import org.apiguardian.api.API;

/**
 * The supervisor's admin port, served by the JDK's HTTP server on a small fixed pool: {@code /metrics} (Prometheus
 * text or OpenMetrics, by the {@code Accept} header), {@code /healthz} (failing when the schedule stops moving; saying in its body when the run store is degraded),
 * {@code /readyz}, {@code /api/tests}, {@code /api/tests/{name}/runs}, {@code /api/tests/{name}/runs/{runId}} and
 * {@code /status} (with its fragment, assets and {@code /status/tests/{name}/runs/{runId}}) and
 * {@code /artifacts/{test}/{runId}/{file}}. Webhooks have a port of
 * their own, in the worker. Every handler answers, even when it throws ({@link #guarded}); {@code PerpetualDaemon}
 * bounds how long one request may take to arrive.
 */
@API(status = INTERNAL, since = "0.1")
public final class HttpApi implements AutoCloseable {

    static final int THREADS = 4;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final Pattern RUNS = Pattern.compile("/api/tests/([^/]+)/runs/?");
    private static final Pattern RUN = Pattern.compile("/(api|status)/tests/([^/]+)/runs/([^/]+)");
    private static final Pattern ARTIFACT = Pattern.compile("/artifacts/([^/]+)/([^/]+)/([^/]+)");
    private static final Pattern CONTROL = Pattern.compile("/api/tests/([^/]+)/(run|pause|resume)/?");

    private final HttpServer server;
    private final ExecutorService pool;
    private final DaemonMetrics metrics;
    private final Results results;
    private final BooleanSupplier ready;
    private final BooleanSupplier healthy;
    private final ObjectMapper json;
    private final String version;
    private final Workers workers;
    private final TestControls controls;
    private final Strips strips = new Strips();
    /** {@code perpetual.admin.token}'s bytes, or null: control is off. */
    private final byte[] token;
    /** {@code perpetual.traces.url-template}. */
    private final TraceLinks links;

    private HttpApi(HttpServer server, DaemonMetrics metrics, Results results, Workers workers,
            TestControls controls, String token, BooleanSupplier ready, BooleanSupplier healthy, ObjectMapper json,
            String version, TraceLinks links) {
        this.server = server;
        this.links = links;
        this.controls = controls;
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
        this.workers = workers;
        this.metrics = metrics;
        this.results = results;
        this.ready = ready;
        this.healthy = healthy;
        this.json = json;
        this.version = version;
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "perpetual-http-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.createContext("/", guarded(this::route));
    }

    /**
     * Serves on {@code bindAddress} (null: every interface) and {@code port} (0: a free one); {@code token} (null:
     * none) is the bearer token {@code controls} need.
     */
    public static HttpApi start(String bindAddress, int port, DaemonMetrics metrics, Results results, Workers workers,
            TestControls controls, String token, BooleanSupplier ready, BooleanSupplier healthy, ObjectMapper json,
            String version, TraceLinks links) throws IOException {
        InetSocketAddress address = bindAddress == null ? new InetSocketAddress(port)
                : new InetSocketAddress(InetAddress.getByName(bindAddress), port);
        HttpServer server = HttpServer.create(address, 64);
        HttpApi api = new HttpApi(server, metrics, results, workers, controls, token, ready, healthy, json,
                version, links);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL others reach this server at: this host's address and the bound port. */
    public URI baseUrl() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostAddress();
        }
        catch (UnknownHostException e) {
            host = InetAddress.getLoopbackAddress().getHostAddress();
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Matcher control = CONTROL.matcher(path);
        if (control.matches()) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                json(exchange, 405, new Views.Problem("POST " + path + " to " + control.group(2) + " the test."));
                return;
            }
            control(exchange, decode(control.group(1)), control.group(2));
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            text(exchange, 405, "Only GET and HEAD are served here.\n");
            return;
        }
        switch (path) {
            case "/metrics" -> metrics(exchange);
            case "/healthz" -> {
                boolean isHealthy = healthy.getAsBoolean();
                String store = results.storeDegraded().map(why -> "degraded: " + why + "\n").orElse("");
                text(exchange, isHealthy ? 200 : 503, (isHealthy ? "ok\n" : "the schedule has stopped moving\n")
                        + store);
            }
            case "/readyz" -> {
                boolean isReady = ready.getAsBoolean();
                text(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
            }
            case "/api/tests", "/api/tests/" -> apiTests(exchange);
            case "/api/workers", "/api/workers/" -> json(exchange, 200, workers.view());
            case "/status", "/status/", "/" -> {
                TestsPage page = statusPage(exchange);
                html(exchange, 200, StatusPage.page(page, strips(page), version, Instant.now(),
                        refreshMs(exchange)));
            }
            case "/status/fragment" -> {
                TestsPage page = statusPage(exchange);
                html(exchange, 200, StatusPage.fragment(page, strips(page), Instant.now()));
            }
            case "/status/assets/status.css" -> asset(exchange, "text/css; charset=utf-8", "status/status.css");
            case "/status/assets/status.js" -> asset(exchange, "text/javascript; charset=utf-8", "status/status.js");
            default -> {
                Matcher runs = RUNS.matcher(path);
                Matcher run = RUN.matcher(path);
                Matcher artifact = ARTIFACT.matcher(path);
                if (artifact.matches()) {
                    ArtifactFiles.serve(exchange, results, decode(artifact.group(1)), decode(artifact.group(2)),
                            decode(artifact.group(3)));
                }
                else if (runs.matches()) {
                    runs(exchange, decode(runs.group(1)));
                }
                else if (run.matches()) {
                    run(exchange, run.group(1).equals("status"), decode(run.group(2)), decode(run.group(3)));
                }
                else {
                    text(exchange, 404, "Not found. Try /status, /metrics, /api/tests, /healthz or /readyz.\n");
                }
            }
        }
    }

    private List<Views.TestView> tests() {
        List<Views.TestView> views = new java.util.ArrayList<>();
        for (ScheduledTest test : results.scheduled()) {
            views.add(Views.test(test, results.history(test.name()), workers.quarantined(test.name()),
                    controls.pausedUntil(test.name()), results.uptime(test.name(), Instant.now()), links));
        }
        for (ScheduledTest test : results.disabled()) {
            views.add(Views.test(test, null, false, null));
        }
        return views;
    }

    /**
     * {@code /api/tests}: {@code ?q=} keeps the tests whose name, class or display name holds it; {@code ?offset=}
     * and {@code ?limit=} (default {@value TestsPage#API_LIMIT}) page them, in discovery order.
     */
    private void apiTests(HttpExchange exchange) throws IOException {
        int offset;
        int limit;
        try {
            offset = count(exchange, "offset", 0);
            limit = count(exchange, "limit", TestsPage.API_LIMIT);
        }
        catch (IllegalArgumentException e) {
            json(exchange, 400, new Views.Problem(e.getMessage()));
            return;
        }
        TestsPage page = TestsPage.of(tests(), queryParameter(exchange, "q"), offset, limit, null);
        json(exchange, 200, new Views.Tests(page.shown(), page.total(), page.matching(), page.offset(),
                page.limit()));
    }

    /** {@code /status}: the tests matching {@code ?q=}, failing first, at most {@value TestsPage#STATUS_LIMIT}. */
    private TestsPage statusPage(HttpExchange exchange) {
        return TestsPage.of(tests(), queryParameter(exchange, "q"), 0, TestsPage.STATUS_LIMIT,
                TestsPage.FAILING_FIRST);
    }

    /** {@code ?name=}, a whole number 0 or more, else {@code defaultValue}. */
    private static int count(HttpExchange exchange, String name, int defaultValue) {
        String value = queryParameter(exchange, name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 0) {
                return parsed;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Query parameter '" + name + "' has an invalid value [" + value
                + "]: use a whole number, 0 or more.");
    }

    /** The kept runs of the tests {@code page} shows, newest first, as {@code /api/tests/{name}/runs} shows them. */
    private Map<String, String> strips(TestsPage page) {
        Map<String, String> runs = new HashMap<>();
        for (Views.TestView test : page.shown()) {
            RunHistory history = test.enabled() ? results.history(test.name()) : null;
            if (history != null) {
                runs.put(test.name(), strips.of(test.name(), history));
            }
        }
        return runs;
    }

    /** {@code ?limit=&before=&outcome=}, newest first, with the path of the next page ({@link RunsQuery}). */
    private void runs(HttpExchange exchange, String name) throws IOException {
        RunHistory history = results.history(name);
        if (history == null) {
            json(exchange, 404, new Views.Problem("No scheduled test is named [" + name + "]; see /api/tests."));
            return;
        }
        dev.perpetual.daemon.internal.records.RunQuery query;
        try {
            query = RunsQuery.of(queryParameters(exchange));
        }
        catch (IllegalArgumentException e) {
            json(exchange, 400, new Views.Problem(e.getMessage()));
            return;
        }
        List<RunRecord> page = results.runs(name, query.oneMore());
        json(exchange, 200, new Views.Runs(name, page.stream().limit(query.limit()).map(record -> Views.run(record, links)).toList(),
                RunsQuery.next(name, query, page)));
    }

    private static Map<String, String> queryParameters(HttpExchange exchange) {
        Map<String, String> parameters = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                if (equals > 0) {
                    parameters.putIfAbsent(decode(parameter.substring(0, equals)),
                            decode(parameter.substring(equals + 1)));
                }
            }
        }
        return parameters;
    }

    /** One run: {@code /api/tests/{name}/runs/{runId}} as JSON, {@code /status/tests/{name}/runs/{runId}} as HTML. */
    private void run(HttpExchange exchange, boolean page, String name, String runId) throws IOException {
        RunHistory history = results.history(name);
        RunRecord record = results.find(name, runId);
        if (record == null) {
            String problem = history == null ? "No scheduled test is named [" + name + "]; see /api/tests."
                    : "Test [" + name + "] has no kept run [" + runId + "]: the daemon keeps the last "
                            + RunHistory.CAPACITY + " runs and the last failure; see /api/tests/{name}/runs.";
            if (page) {
                text(exchange, 404, problem + "\n");
            }
            else {
                json(exchange, 404, new Views.Problem(problem));
            }
            return;
        }
        ScheduledTest test = results.scheduled().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow();
        if (page) {
            html(exchange, 200, RunPage.render(Views.test(test, history, workers.quarantined(test.name()),
                    controls.pausedUntil(test.name()), null, links), Views.run(record, links),
                    results.artifacts().present(record), version, Instant.now(), results.location()));
        }
        else {
            json(exchange, 200, Views.run(record, links));
        }
    }

    /** {@code POST /api/tests/{name}/run|pause|resume}, with the bearer token of {@code perpetual.admin.token}. */
    private void control(HttpExchange exchange, String test, String action) throws IOException {
        if (token == null) {
            json(exchange, 403, new Views.Problem("Running, pausing and resuming tests is off: start the daemon with "
                    + "--config " + dev.perpetual.Constants.ADMIN_TOKEN + "=<a secret>, and send it as the header "
                    + "Authorization: Bearer <the secret>."));
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!java.security.MessageDigest.isEqual(given, token)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"perpetual\"");
            json(exchange, 401, new Views.Problem(authorization == null ? "Send the token of "
                    + dev.perpetual.Constants.ADMIN_TOKEN + " as the header Authorization: Bearer <token>."
                    : "The bearer token is not " + dev.perpetual.Constants.ADMIN_TOKEN + "'s."));
            return;
        }
        Instant until = null;
        if (action.equals("pause")) {
            String value = queryParameter(exchange, "until");
            if (value != null) {
                try {
                    until = untilOf(value, Instant.now());
                }
                catch (IllegalArgumentException e) {
                    json(exchange, 400, new Views.Problem("Invalid until [" + value + "]: expected a duration such "
                            + "as 30m or 2h, or an instant such as 2026-12-03T20:00:00Z."));
                    return;
                }
            }
        }
        String runId = action.equals("run") ? dev.perpetual.internal.RunIds.next(System.currentTimeMillis()) : null;
        dev.perpetual.daemon.internal.schedule.Scheduler.Control done = switch (action) {
            case "run" -> controls.runNow(test, runId);
            case "pause" -> controls.pause(test, until);
            default -> controls.resume(test);
        };
        switch (done) {
            case DONE -> {
                Instant paused = controls.pausedUntil(test);
                json(exchange, action.equals("run") ? 202 : 200, new Views.Control(test, runId, paused != null,
                        paused == null || paused.equals(Instant.MAX) ? null : paused.toString()));
            }
            case UNKNOWN -> json(exchange, 404, new Views.Problem("No scheduled test is named [" + test
                    + "]; see /api/tests."));
            case STUCK -> json(exchange, 409, new Views.Problem("A thread of " + test + "'s last run is stuck: it "
                    + "is not started again while that thread lives."));
            case GOING -> json(exchange, 409, new Views.Problem("A run of " + test + " is going, and its overlap is "
                    + "skip: wait for its record."));
            case FULL -> json(exchange, 429, new Views.Problem(dev.perpetual.Constants.DAEMON_MAX_CONCURRENT_RUNS
                    + " runs are going: try again when one has ended."));
            case STOPPED -> json(exchange, 503, new Views.Problem("The schedule has stopped: the daemon is shutting "
                    + "down, or runs each test once (--once)."));
        }
    }

    /** {@code 30m} from {@code now}, or an ISO instant. */
    static Instant untilOf(String value, Instant now) {
        String text = value.strip();
        if (Character.isDigit(text.charAt(0)) && text.contains("T")) {
            try {
                return Instant.parse(text);
            }
            catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return now.plus(Durations.parse(text));
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith(name + "=")) {
                    return decode(parameter.substring(name.length() + 1));
                }
            }
        }
        return null;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    /** {@code ?refresh=2s} sets how often the page refreshes itself (default 5s, at least 250ms). */
    private static long refreshMs(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("refresh=")) {
                    try {
                        long millis = Durations.parse(decode(parameter.substring("refresh=".length()))).toMillis();
                        return Math.max(StatusPage.REFRESH_MS_MIN, millis);
                    }
                    catch (IllegalArgumentException e) {
                        return StatusPage.REFRESH_MS_DEFAULT;
                    }
                }
            }
        }
        return StatusPage.REFRESH_MS_DEFAULT;
    }

    private static void html(HttpExchange exchange, int status, String page) throws IOException {
        exchange.getResponseHeaders().set("Content-Security-Policy", Html.CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void asset(HttpExchange exchange, String contentType, String name) throws IOException {
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, 200, contentType, Html.resource(name));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT
                : PROMETHEUS_TEXT;
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(64 * 1024);
        metrics.prometheus().scrape(body, contentType);
        send(exchange, 200, contentType, body.toByteArray());
    }

    private void json(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, "application/json", json.writeValueAsBytes(value));
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /**
     * A handler that answers 500 with a short error rather than leaving the client waiting when anything at all is
     * thrown: the JDK server neither answers nor closes the exchange when a handler throws an {@link Error} (a
     * {@link NoClassDefFoundError} once left a client hanging). When the response has begun, the exchange is closed.
     */
    static HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            }
            catch (Throwable e) {
                try {
                    if (exchange.getResponseCode() != -1) {
                        exchange.close();
                    }
                    else if (exchange.getRequestURI().getRawPath().startsWith("/api/")) {
                        char[] quoted = JsonStringEncoder.getInstance()
                                .quoteAsString(Failures.truncate("Internal error: " + e, 300));
                        send(exchange, 500, "application/json",
                                ("{\"error\":\"" + new String(quoted) + "\"}").getBytes(StandardCharsets.UTF_8));
                    }
                    else {
                        text(exchange, 500, Failures.truncate("Internal error: " + e, 300) + "\n");
                    }
                }
                catch (Throwable ignored) {
                    exchange.close();
                }
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
            }
        };
    }
}

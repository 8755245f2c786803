package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apiguardian.api.API;

/**
 * Every Perpetual configuration key, with its default. Keys are JUnit configuration parameters: set them in
 * {@code junit-platform.properties}, as {@code -Dkey=value} system properties, or with the daemon's
 * {@code --config key=value}. More specific keys override general ones.
 *
 * <p>Durations use the grammar of {@link Perpetual}: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 1h30m}, {@code PT30S}; a bare number means seconds. Sizes are bytes, or a number with {@code KiB},
 * {@code MiB} or {@code GiB}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Constants {

    /** The prefix of every Perpetual key: {@value}. */
    public static final String PREFIX = "perpetual.";

    /** The timeout of tests whose {@link Perpetual#timeout()} is empty: {@value}. Default {@code 1m}. */
    public static final String TIMEOUT_DEFAULT = "perpetual.timeout.default";

    /** Default value of {@link #TIMEOUT_DEFAULT}: {@value}. */
    public static final String TIMEOUT_DEFAULT_VALUE = "1m";

    /**
     * How long a run's set-up may take under the daemon before its test method starts: the test class's
     * {@code @BeforeAll} and the test instance with what prepares it, such as a Spring context's first build:
     * {@value}. Default {@value #TIMEOUT_SETUP_VALUE}. A test's timeout starts with its test method, under the daemon
     * as under {@code mvn test}, so the set-up never counts against it; past this bound the run is recorded as
     * {@code timeout} and its thread abandoned.
     */
    public static final String TIMEOUT_SETUP = "perpetual.timeout.setup";

    /** Default value of {@link #TIMEOUT_SETUP}: {@value}. */
    public static final String TIMEOUT_SETUP_VALUE = "5m";

    /** Overrides one test's period: {@code perpetual.test.<name>.period}. */
    public static final String TEST_PERIOD = "perpetual.test.%s.period";

    /** Overrides one test's timeout: {@code perpetual.test.<name>.timeout}. */
    public static final String TEST_TIMEOUT = "perpetual.test.%s.timeout";

    /** Disables one test in this environment when {@code false}: {@code perpetual.test.<name>.enabled}. */
    public static final String TEST_ENABLED = "perpetual.test.%s.enabled";

    /** Overrides one test's period while failing: {@code perpetual.test.<name>.period-while-failing}. */
    public static final String TEST_PERIOD_WHILE_FAILING = "perpetual.test.%s.period-while-failing";

    /**
     * Overrides the tests one test depends on, comma-separated Perpetual names: {@code perpetual.test.<name>.depends-on}.
     * See {@link Perpetual#dependsOn()}.
     */
    public static final String TEST_DEPENDS_ON = "perpetual.test.%s.depends-on";

    /** Overrides one test's objective, such as {@code 99.5%}: {@code perpetual.test.<name>.objective}. */
    public static final String TEST_OBJECTIVE = "perpetual.test.%s.objective";

    /**
     * How many {@link O#log} lines one run keeps: {@value}. Past it, the first and the latest lines are kept, those
     * between counted (see {@link #LOG_MAX_BYTES}); 0 keeps none.
     */
    public static final String LOG_MAX_LINES = "perpetual.log.max-lines";

    /** Default value of {@link #LOG_MAX_LINES}. */
    public static final int LOG_MAX_LINES_DEFAULT = 1000;

    /**
     * The most UTF-8 bytes of one {@link O#log} line a run keeps, a size: {@value}. Default
     * {@value #LOG_MAX_LINE_BYTES_DEFAULT} (8 KiB). A longer line keeps its head and its tail, half of this each, with
     * {@code " … (N bytes cut) … "} between them; 0 keeps only that marker.
     */
    public static final String LOG_MAX_LINE_BYTES = "perpetual.log.max-line-bytes";

    /** Default value of {@link #LOG_MAX_LINE_BYTES}, in bytes. */
    public static final int LOG_MAX_LINE_BYTES_DEFAULT = 8 * 1024;

    /**
     * The most UTF-8 bytes of {@link O#log} lines one run keeps, a size: {@value}. Default
     * {@value #LOG_MAX_BYTES_DEFAULT} (256 KiB). Past this or {@link #LOG_MAX_LINES}, a run keeps its first lines,
     * within half of each, and its latest lines within the rest; the lines between are counted, and one line
     * {@code … N lines (size) left out …} stands in their place. 0 keeps no line and counts them all.
     */
    public static final String LOG_MAX_BYTES = "perpetual.log.max-bytes";

    /** Default value of {@link #LOG_MAX_BYTES}, in bytes. */
    public static final int LOG_MAX_BYTES_DEFAULT = 256 * 1024;

    /**
     * Whether a run outside the daemon also prints its report (outcome, log lines, steps, webhooks, metrics) to
     * the test's standard output, where Surefire puts it in its XML report, which ignores JUnit report entries:
     * {@value}. Default {@code true}.
     */
    public static final String REPORT_STDOUT = "perpetual.report.stdout";

    /**
     * The base URL the system under test reaches the receiver at, such as {@code https://probes.example.com}
     * behind a load balancer: {@value}. Unset: the receiver's own bound address.
     */
    public static final String WEBHOOKS_PUBLIC_URL = "perpetual.webhooks.public-url";

    /**
     * The port of the webhook receiver: {@value}. Default 0 (any free port) under {@code mvn test}, 9402 in the
     * daemon's worker.
     */
    public static final String WEBHOOKS_PORT = "perpetual.webhooks.port";

    /** The address the webhook receiver binds to: {@value}. Default {@code 0.0.0.0}. */
    public static final String WEBHOOKS_BIND_ADDRESS = "perpetual.webhooks.bind-address";

    /**
     * How the correlation key is found in a delivery, for every channel: {@value}. Default {@code json:/id}.
     * {@code json:<JSON pointer>}, {@code header:<name>} or {@code regex:<pattern with one group>}.
     */
    public static final String WEBHOOKS_KEY = "perpetual.webhooks.key";

    /** Default value of {@link #WEBHOOKS_KEY}: {@value}. */
    public static final String WEBHOOKS_KEY_VALUE = "json:/id";

    /** How the key is found on one channel, overriding {@link #WEBHOOKS_KEY}: {@code perpetual.webhooks.channels.<name>.key}. */
    public static final String WEBHOOKS_CHANNEL_KEY = "perpetual.webhooks.channels.%s.key";

    /** Largest accepted webhook body; larger ones are answered 413: {@value}. Default {@code 1MiB}. */
    public static final String WEBHOOKS_MAX_BODY = "perpetual.webhooks.max-body";

    /** Default value of {@link #WEBHOOKS_MAX_BODY}: {@value}. */
    public static final String WEBHOOKS_MAX_BODY_VALUE = "1MiB";

    /**
     * A Standard Webhooks secret ({@code whsec_…}): when set, deliveries must carry valid {@code webhook-id},
     * {@code webhook-timestamp} and {@code webhook-signature} headers, else they are answered 401: {@value}.
     */
    public static final String WEBHOOKS_SECRET = "perpetual.webhooks.secret";

    /**
     * Threads serving the webhook receiver: {@value}. Default 0. Under {@code mvn test} (the JDK's server), 0 serves
     * requests on the server's dispatcher thread, which costs the least CPU per webhook, but a sender that stalls
     * mid-request holds it up; a positive number serves each connection on a thread of a pool that grows to that
     * many, so a slow sender holds one thread. A daemon's worker serves webhooks without a thread per connection, on
     * this many event-loop threads (0: one per processor).
     */
    public static final String WEBHOOKS_THREADS = "perpetual.webhooks.threads";

    /**
     * The shortest period (and period while failing) the daemon accepts, a duration: {@value}. Default
     * {@value #PERIOD_MIN_VALUE}. A test with a shorter one stops the daemon at start: a period of nanoseconds only
     * spins the scheduler.
     */
    public static final String PERIOD_MIN = "perpetual.period.min";

    /** The default of {@link #PERIOD_MIN}: {@value}. */
    public static final String PERIOD_MIN_VALUE = "100ms";

    /**
     * The bucket boundaries of {@code perpetual_run_seconds}, durations separated by commas, in increasing order:
     * {@value}. Default {@value #METRICS_BUCKETS_VALUE}. Each boundary is one series per test and outcome.
     */
    public static final String METRICS_BUCKETS = "perpetual.metrics.buckets";

    /** The default of {@link #METRICS_BUCKETS}: {@value}. */
    public static final String METRICS_BUCKETS_VALUE = "50ms, 250ms, 1s, 5s, 30s";

    /** The most runs the daemon keeps going at once, {@link Overlap#ALLOW} included: {@value}. Default 64. */
    public static final String DAEMON_MAX_CONCURRENT_RUNS = "perpetual.daemon.max-concurrent-runs";

    /** Where browser probes keep failure artifacts: {@value}. Default {@code target/perpetual-artifacts}. */
    public static final String ARTIFACTS_DIR = "perpetual.artifacts.dir";

    /** How many failed runs' artifacts are kept per test: {@value}. Default 20. */
    public static final String ARTIFACTS_KEEP = "perpetual.artifacts.keep";

    /** The Chrome or Chromium binary: {@value}. Default {@code /usr/bin/chromium}. */
    public static final String SELENIUM_CHROME_BINARY = "perpetual.selenium.chrome.binary";

    /** The chromedriver binary: {@value}. Default {@code /usr/bin/chromedriver}. */
    public static final String SELENIUM_DRIVER_BINARY = "perpetual.selenium.driver.binary";

    /** How many browsers the pool may run at once: {@value}. Default 1. */
    public static final String SELENIUM_POOL_SIZE = "perpetual.selenium.pool.size";

    /** A Selenium Grid URL; when set, browsers run there instead of locally: {@value}. */
    public static final String SELENIUM_REMOTE_URL = "perpetual.selenium.remote-url";

    /**
     * The address the server of {@code AnalyticsProbe}'s page binds to: {@value}. Default {@code 127.0.0.1}, for
     * browsers on this machine; {@code 0.0.0.0} lets a Selenium Grid on another host reach it.
     */
    public static final String SELENIUM_PAGES_BIND_ADDRESS = "perpetual.selenium.pages.bind-address";

    /** The port of the server of {@code AnalyticsProbe}'s page: {@value}. Default 0 (ephemeral). */
    public static final String SELENIUM_PAGES_PORT = "perpetual.selenium.pages.port";

    /**
     * The base URL browsers reach {@code AnalyticsProbe}'s page at, such as {@code http://probes.internal:8090}: {@value}.
     * Unset: the bound address and port, and this host's address when bound to every interface.
     */
    public static final String SELENIUM_PAGES_PUBLIC_URL = "perpetual.selenium.pages.public-url";

    /**
     * Where webhook expectations live: {@value}. {@code memory} (default): in this JVM, for one daemon.
     * {@code redis}: registered in the Redis at {@link #REDIS_URI} before {@code expect} returns, so a webhook that
     * reaches any replica of a fleet is routed to the replica whose run expects it (needs
     * {@code io.lettuce:lettuce-core} on the class path; the daemon adds it to its worker when this key is given
     * with {@code --config}).
     */
    public static final String WEBHOOKS_STORE = "perpetual.webhooks.store";

    /**
     * With {@code perpetual.webhooks.store=redis}, how long a webhook that arrives before (or without) an
     * expectation is kept for a late {@code expect} before it is counted unmatched: {@value}. Default 30s.
     */
    public static final String WEBHOOKS_EARLY_RETENTION = "perpetual.webhooks.early-retention";

    /** The default of {@link #WEBHOOKS_EARLY_RETENTION}: {@value}. */
    public static final String WEBHOOKS_EARLY_RETENTION_VALUE = "30s";

    /**
     * The Redis shared by a fleet of daemons, {@code redis://[password@]host:port[/database]} or
     * {@code rediss://…} for TLS: {@value}. Required by {@code perpetual.webhooks.store=redis} and
     * {@code perpetual.cluster.mode=once}.
     */
    public static final String REDIS_URI = "perpetual.redis.uri";

    /**
     * How long one Redis command may take before the run that needed it errs (or a once-mode lease is given up for
     * this tick): {@value}. Default 2s.
     */
    public static final String REDIS_TIMEOUT = "perpetual.redis.timeout";

    /** The default of {@link #REDIS_TIMEOUT}: {@value}. */
    public static final String REDIS_TIMEOUT_VALUE = "2s";

    /**
     * {@code each} (default: every daemon runs every test) or {@code once} (each test once per period across the
     * daemons sharing {@link #REDIS_URI}, through leases that expire, so another daemon takes over within one period
     * when one dies): {@value}.
     */
    public static final String CLUSTER_MODE = "perpetual.cluster.mode";

    /** A {@code location} label on every metric, for probing from several regions: {@value}. */
    public static final String LOCATION = "perpetual.location";

    /** An OTLP endpoint the daemon pushes metrics to, for teams that don't scrape: {@value}. */
    public static final String METRICS_OTLP_URL = "perpetual.metrics.otlp.url";

    /**
     * Where the daemon runs tests: {@code worker} (default: in worker JVMs on the user's class path, which the
     * supervisor starts, watches and replaces) or {@code in-process} (inside the daemon's own JVM, on its class path:
     * unprotected, for benchmarks and debugging only): {@value}.
     */
    public static final String ISOLATION = "perpetual.isolation";

    /**
     * How many shared worker JVMs run the tests: {@value}. Default 1, at most 64; each run goes to the one holding the
     * fewest runs. Above 1 the workers share the webhook port, and the daemon routes each delivery to the worker whose
     * run expects it.
     */
    public static final String WORKERS = "perpetual.workers";

    /**
     * The worker JVM's options, separated by spaces: {@value}. Default {@value #WORKER_JVM_ARGS_VALUE}: a heap bound,
     * and an exit (recorded, and the worker replaced) rather than a wedged JVM when the heap runs out.
     */
    public static final String WORKER_JVM_ARGS = "perpetual.worker.jvm-args";

    /** The default of {@link #WORKER_JVM_ARGS}: {@value}. */
    public static final String WORKER_JVM_ARGS_VALUE = "-Xmx256m -XX:+ExitOnOutOfMemoryError";

    /** How long after a worker ended the next one starts, doubling with each restart up to 30s: {@value}. Default 1s. */
    public static final String WORKER_RESTART_BACKOFF = "perpetual.worker.restart-backoff";

    /**
     * After how many times within an hour a test that ended or wedged its worker runs alone in a worker of its own,
     * its cadence backing off while it keeps doing so: {@value}. Default 3.
     */
    public static final String WORKER_QUARANTINE_AFTER = "perpetual.worker.quarantine-after";

    /** How many stuck threads a worker may hold before it is recycled: {@value}. Default 4. */
    public static final String WORKER_MAX_STUCK_THREADS = "perpetual.worker.max-stuck-threads";

    /** How long a thread may stay stuck before its worker is recycled: {@value}. Default 1m. */
    public static final String WORKER_MAX_STUCK_TIME = "perpetual.worker.max-stuck-time";

    /** The share of its heap a worker may still use after GC before it is recycled: {@value}. Default 0.9. */
    public static final String WORKER_MAX_HEAP_RATIO = "perpetual.worker.max-heap-ratio";

    /** The share of its file descriptor limit a worker may hold open before it is recycled: {@value}. Default 0.8. */
    public static final String WORKER_MAX_FILES_RATIO = "perpetual.worker.max-files-ratio";

    /**
     * Recycle a worker after this many runs ({@code 10000}) or this long ({@code 6h}), for leaky test code: {@value}.
     * Default off.
     */
    public static final String WORKER_RECYCLE_AFTER = "perpetual.worker.recycle-after";

    /**
     * Whether a worker runs a test on a tree of JUnit descriptors discovered once per test class and reused, rather
     * than discovering the test's class again for every run, which costs more the more methods the class has:
     * {@value}. {@code true} or {@code false}; default {@code true}.
     */
    public static final String WORKER_REUSE_DISCOVERY = "perpetual.worker.reuse-discovery";

    /**
     * The most bytes of run records the daemon keeps per test (its last 100 runs, whichever limit comes first; the
     * latest run and the last failure are always kept): {@value}. Default 8 MiB. A size such as 4MiB.
     */
    public static final String HISTORY_MAX_BYTES = "perpetual.history.max-bytes";

    /**
     * Where the daemon keeps run history: {@value}. {@code memory} (the default: the last runs, gone with the
     * process), {@code jdbc:sqlite:<file>} (embedded) or {@code jdbc:postgresql://<host>:<port>/<database>} (shared
     * by a fleet). See {@code docs/history.md}.
     */
    public static final String HISTORY_URL = "perpetual.history.url";

    /** The database user of {@link #HISTORY_URL} when the URL does not carry it: {@value}. */
    public static final String HISTORY_USER = "perpetual.history.user";

    /** The database password of {@link #HISTORY_URL} when the URL does not carry it: {@value}. */
    public static final String HISTORY_PASSWORD = "perpetual.history.password";

    /** The most runs a database keeps per test, the oldest pruned first: {@value}. Default 10000. */
    public static final String HISTORY_MAX_RUNS = "perpetual.history.max-runs";

    /** How long a database keeps a run: {@value}. Default 30d. A duration such as 7d. */
    public static final String HISTORY_MAX_AGE = "perpetual.history.max-age";

    /** How long a database keeps the hourly rollups behind uptime: {@value}. Default 400d. */
    public static final String HISTORY_ROLLUP_AGE = "perpetual.history.rollup-age";

    /** The address the admin port ({@code --port}) listens on: {@value}. Default all interfaces. */
    public static final String ADMIN_BIND_ADDRESS = "perpetual.admin.bind-address";

    /**
     * The bearer token that runs, pauses and resumes tests on the admin port ({@code POST /api/tests/{name}/run},
     * {@code /pause}, {@code /resume}): {@value}. Unset by default: those answer 403.
     */
    public static final String ADMIN_TOKEN = "perpetual.admin.token";

    /**
     * More configuration keys whose values the daemon replaces by {@code ****} wherever they would appear (console,
     * JSON log, API, status and run pages, reports, browser artifacts): {@value}. Comma-separated key names, added to
     * every key whose name contains {@code token}, {@code secret}, {@code password}, {@code passwd},
     * {@code credential}, {@code apikey} or {@code api-key}. Values shorter than 4 characters are not replaced.
     */
    public static final String SECRETS_KEYS = "perpetual.secrets.keys";

    /** Exception classes whose runs are {@code fail} whatever else they are: {@value}. See {@code OutcomeRules}. */
    public static final String OUTCOME_FAIL = "perpetual.outcome.fail";

    /** Exception classes whose runs are {@code error} whatever else they are: {@value}. See {@code OutcomeRules}. */
    public static final String OUTCOME_ERROR = "perpetual.outcome.error";

    /**
     * The tenancy every run carries in its {@code baggage} ({@code perpetual.tenancy=<value>}) and {@code tracestate}
     * ({@code perpetual=<value>}), so the system under test tells test traffic apart: {@value}. Default
     * {@value #TENANCY_VALUE}; 1 to 64 characters of {@code A-Z}, {@code a-z}, {@code 0-9}, {@code _}, {@code .} and
     * {@code -}. See {@link RunTrace}.
     */
    public static final String TENANCY = "perpetual.tenancy";

    /** Default value of {@link #TENANCY}: {@value}. */
    public static final String TENANCY_VALUE = "test";

    /**
     * Whether a webhook delivery that came back without the run's trace id in its {@code traceparent} fails the run:
     * {@value}. Default {@code false}: such a delivery is only counted, as
     * {@code perpetual_webhook_context_total{context="lost"}}.
     */
    public static final String TENANCY_REQUIRE_ON_WEBHOOKS = "perpetual.tenancy.require-on-webhooks";

    /**
     * The origins ({@code scheme://host[:port]}, comma-separated) to which a browser probe's page sends its requests
     * with the run's {@code traceparent}, {@code tracestate} and {@code baggage}, added by intercepting the tab's
     * requests: {@value}. Default: the origin of the first page the run opens; {@code none} marks no browser request.
     * See {@link RunTrace}.
     */
    public static final String TENANCY_BROWSER_ORIGINS = "perpetual.tenancy.browser-origins";

    /**
     * An OTLP/HTTP traces endpoint, such as {@code http://otel-collector:4318/v1/traces}, the daemon exports every run
     * to as a trace through the OpenTelemetry SDK: {@value}. Unset, the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
     * or {@code OTEL_EXPORTER_OTLP_ENDPOINT} environment variables apply; without any, nothing is exported.
     */
    public static final String TRACES_OTLP_URL = "perpetual.traces.otlp.url";

    /**
     * A link to a run's trace in a tracing UI, {@code {traceId}} replaced by the run's trace id, such as
     * {@code https://grafana.example/explore?traceId={traceId}}: {@value}. The run page and the status page's failure
     * line link there.
     */
    public static final String TRACES_URL_TEMPLATE = "perpetual.traces.url-template";

    private static final Set<String> KEYS = Set.of(OUTCOME_FAIL, OUTCOME_ERROR, ISOLATION, WORKERS, WORKER_JVM_ARGS, WORKER_RESTART_BACKOFF,
            WORKER_QUARANTINE_AFTER, WORKER_MAX_STUCK_THREADS, WORKER_MAX_STUCK_TIME, WORKER_MAX_HEAP_RATIO,
            WORKER_MAX_FILES_RATIO, WORKER_RECYCLE_AFTER, WORKER_REUSE_DISCOVERY, ADMIN_BIND_ADDRESS, ADMIN_TOKEN,
            HISTORY_MAX_BYTES,            HISTORY_URL, HISTORY_USER, HISTORY_PASSWORD, HISTORY_MAX_RUNS, HISTORY_MAX_AGE, HISTORY_ROLLUP_AGE,
            TIMEOUT_DEFAULT, TIMEOUT_SETUP, LOG_MAX_LINES, LOG_MAX_LINE_BYTES, LOG_MAX_BYTES,
            REPORT_STDOUT, WEBHOOKS_PUBLIC_URL, WEBHOOKS_PORT, WEBHOOKS_BIND_ADDRESS, WEBHOOKS_KEY, WEBHOOKS_MAX_BODY,
            WEBHOOKS_SECRET, WEBHOOKS_THREADS, DAEMON_MAX_CONCURRENT_RUNS, ARTIFACTS_DIR, ARTIFACTS_KEEP,
            SELENIUM_CHROME_BINARY, SELENIUM_DRIVER_BINARY, SELENIUM_POOL_SIZE, SELENIUM_REMOTE_URL,
            SELENIUM_PAGES_BIND_ADDRESS, SELENIUM_PAGES_PORT, SELENIUM_PAGES_PUBLIC_URL, WEBHOOKS_STORE, REDIS_URI,
            CLUSTER_MODE, LOCATION, METRICS_OTLP_URL, WEBHOOKS_EARLY_RETENTION, REDIS_TIMEOUT,
            PERIOD_MIN, METRICS_BUCKETS, SECRETS_KEYS, TENANCY, TENANCY_REQUIRE_ON_WEBHOOKS, TRACES_OTLP_URL,
            TRACES_URL_TEMPLATE, TENANCY_BROWSER_ORIGINS);

    private static final List<Pattern> KEY_PATTERNS = List.of(
            Pattern.compile("perpetual\\.test\\.[^.]+(\\.[^.]+)*\\.(period|timeout|enabled|period-while-failing|depends-on|objective)"),
            Pattern.compile("perpetual\\.webhooks\\.channels\\.[^.]+\\.key"),
            // Keys of a test's own, read through O.config, live under perpetual.env.
            Pattern.compile("perpetual\\.env\\..+"));

    private Constants() {
    }

    /**
     * Whether {@code key} is one Perpetual understands. The daemon reports every other {@code perpetual.} key at
     * start, so a typo does not pass silently. A test's own settings belong under {@code perpetual.env.}.
     */
    public static boolean isKnownKey(String key) {
        return !key.startsWith(PREFIX) || KEYS.contains(key)
                || KEY_PATTERNS.stream().anyMatch(pattern -> pattern.matcher(key).matches());
    }

    /** The known keys, for help and error messages. */
    public static Set<String> knownKeys() {
        return KEYS;
    }
}

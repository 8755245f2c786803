package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.perpetual.spi.Outcome;
import dev.perpetual.worker.internal.Secrets;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import org.apiguardian.api.API;

/**
 * The supervisor's meters, registered once in a composite that feeds the Prometheus registry behind {@code /metrics}
 * and, with {@code perpetual.metrics.otlp.url}, Micrometer's OTLP registry ({@link OtlpExport}): per-run timers and
 * gauges, skips, in-flight runs, schedule lateness, the workers' health, the JVM and process binders. The meters
 * tests register in their workers reach both through {@link WorkerMeters}, the secrets' values in them replaced by
 * {@code ****}; {@code perpetual_threads_stuck} counts the stuck threads the workers reported, each once.
 */
@API(status = INTERNAL, since = "0.1")
public final class DaemonMetrics implements AutoCloseable {

    /** Buckets of {@code perpetual_schedule_lateness_seconds}. */
    static final Duration[] LATENESS_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5) };

    static final String THREADS_STUCK = "perpetual.threads.stuck";

    private static final long NO_HEARTBEAT = Long.MIN_VALUE;

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OtlpMeterRegistry otlp;
    /** What every meter is registered in: Prometheus, and OTLP when configured. */
    private final CompositeMeterRegistry exported = new CompositeMeterRegistry();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String location;
    private volatile WorkerMeters workerMeters;
    private volatile WorkerMetersOtlp workerMetersOtlp;
    private volatile WorkerGauges workers;
    private final Timer lateness;
    private final Map<String, TestMeters> tests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> quarantine = new ConcurrentHashMap<>();
    private final List<AutoCloseable> binders = new ArrayList<>();
    /** When the scheduling loop last passed, epoch milliseconds; {@link #NO_HEARTBEAT} before its first pass. */
    private final AtomicLong heartbeatMillis = new AtomicLong(NO_HEARTBEAT);
    private final Duration[] runBuckets;
    private final Secrets secrets;

    DaemonMetrics(String location) {
        this(location, null);
    }

    DaemonMetrics(String location, OtlpConfig otlp) {
        this(location, otlp, RunBuckets.DEFAULT);
    }

    /**
     * {@code otlp}: where to push the meters too, or null; {@code runBuckets}: the boundaries of
     * {@code perpetual_run_seconds} ({@code perpetual.metrics.buckets}).
     */
    public DaemonMetrics(String location, OtlpConfig otlp, List<Duration> runBuckets) {
        this(location, otlp, runBuckets, Secrets.none());
    }

    /** As {@link #DaemonMetrics(String, OtlpConfig, List)}, with {@code secrets} hidden in the tests' meters. */
    public DaemonMetrics(String location, OtlpConfig otlp, List<Duration> runBuckets, Secrets secrets) {
        this.runBuckets = runBuckets.toArray(Duration[]::new);
        this.secrets = secrets;
        this.otlp = otlp == null ? null : new OtlpMeterRegistry(otlp, Clock.SYSTEM) {
            @Override
            protected void publish() {
                WorkerMetersOtlp mirror = workerMetersOtlp;
                if (mirror != null) {
                    mirror.sync(this);
                }
                super.publish();
            }
        };
        this.location = location == null || location.isBlank() ? null : location.strip();
        for (MeterRegistry registry : this.otlp == null ? List.of(prometheus) : List.of(prometheus, this.otlp)) {
            if (this.location != null) {
                registry.config().commonTags("location", this.location);
            }
            exported.add(registry);
        }
        Gauge.builder("perpetual.runs.in.flight", inFlight, AtomicInteger::get)
                .description("Runs started and not yet recorded")
                .register(exported);
        Gauge.builder(THREADS_STUCK, this, metrics -> metrics.workers == null ? 0 : metrics.workers.stuckThreads())
                .description("Test threads that passed their deadline and have not returned")
                .register(exported);
        lateness = Timer.builder("perpetual.schedule.lateness")
                .description("Actual start minus planned start of each scheduled run")
                .serviceLevelObjectives(LATENESS_BUCKETS)
                .register(exported);

        new ClassLoaderMetrics().bindTo(exported);
        new JvmMemoryMetrics().bindTo(exported);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(exported);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(exported);
        new ProcessorMetrics().bindTo(exported);
        new UptimeMetrics().bindTo(exported);
        new FileDescriptorMetrics().bindTo(exported);
    }

    /**
     * The workers' gauges ({@code perpetual_worker_up}, {@code perpetual_threads_stuck}) and the tests' meters they
     * report.
     */
    public void workers(WorkerGauges workers) {
        this.workers = workers;
        Gauge.builder("perpetual.worker.up", workers, WorkerGauges::up)
                .description("Worker JVMs up and answering")
                .register(exported);
        WorkerMeters meters = new WorkerMeters(workers::meters, location, secrets);
        prometheus.getPrometheusRegistry().register(meters);
        workerMeters = meters;
        if (otlp != null) {
            workerMetersOtlp = new WorkerMetersOtlp(meters);
        }
    }

    /** A worker ended: what its tests' meters counted stays counted. */
    public void workerEnded(List<dev.perpetual.worker.internal.Message.MeterData> meters) {
        WorkerMeters current = workerMeters;
        if (current != null) {
            current.fold(meters);
        }
    }

    /** A worker was replaced, for {@code reason}: {@code exit}, {@code oom}, {@code crash}, {@code stuck}, …. */
    public void restarted(String reason) {
        Counter.builder("perpetual.worker.restarts")
                .description("Worker JVMs replaced, by reason")
                .tag("reason", reason)
                .register(exported)
                .increment();
    }

    /**
     * A delivery routed between workers that share the webhook port: {@code forwarded} to the worker whose run
     * expects it, {@code kept} for an expectation yet to come, {@code expired} unexpected past the retention,
     * {@code refused} when too many were kept.
     */
    public void webhookRouted(String result) {
        Counter.builder("perpetual.webhook.routed")
                .description("Webhook deliveries routed between the workers that share the webhook port, by result")
                .tag("result", result)
                .register(exported)
                .increment();
    }

    /** {@code perpetual_test_paused{test}}: 1 while the test's schedule is paused, else 0. */
    public void paused(String test, java.util.function.BooleanSupplier paused) {
        Gauge.builder("perpetual.test.paused", paused, value -> value.getAsBoolean() ? 1 : 0)
                .description("Whether the test's schedule is paused (POST /api/tests/{name}/pause)")
                .tag("test", test)
                .strongReference(true) // the supplier is a lambda no one else holds: weakly held, GC made it NaN
                .register(exported);
    }

    /**
     * What alerting needs to know of a test: {@code perpetual_test_info{test,class,depends_on}}, 1, one series per
     * dependency ({@code depends_on=""} for none), and {@code perpetual_test_objective_ratio{test}} when it has an
     * objective.
     */
    public void describe(ScheduledTest test) {
        for (String dependency : test.dependsOn().isEmpty() ? List.of("") : test.dependsOn()) {
            Gauge.builder("perpetual.test.info", () -> 1)
                    .description("1 for each test and each test it depends on (depends_on=\"\" for none)")
                    .tag("test", test.name())
                    .tag("class", test.className())
                    .tag("depends_on", dependency)
                    .strongReference(true)
                    .register(exported);
        }
        test.objective().ifPresent(objective -> Gauge.builder("perpetual.test.objective.ratio", () -> objective)
                .description("The share of the test's runs that must pass (@Perpetual(objective))")
                .tag("test", test.name())
                .strongReference(true)
                .register(exported));
    }

    /**
     * The scheduling loop passed at {@code at}: {@code perpetual_scheduler_heartbeat_timestamp_seconds}, registered
     * on the first pass (a daemon that schedules nothing, such as {@code --once}, exports none).
     */
    public void heartbeat(Instant at) {
        if (heartbeatMillis.getAndSet(at.toEpochMilli()) == NO_HEARTBEAT) {
            Gauge.builder("perpetual.scheduler.heartbeat.timestamp", heartbeatMillis, millis -> millis.get() / 1000.0)
                    .description("When the scheduling loop last passed (a tick or its start), in seconds since the "
                            + "epoch")
                    .baseUnit("seconds")
                    .register(exported);
        }
    }

    /** {@code test} runs in a worker of its own (1), or not (0). */
    public void quarantined(String test, boolean quarantined) {
        quarantine.computeIfAbsent(test, name -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("perpetual.worker.quarantined", value, AtomicInteger::get)
                    .description("1 while the test runs alone in a worker of its own, after ending or wedging its "
                            + "worker too often")
                    .tag("test", name)
                    .register(exported);
            return value;
        }).set(quarantined ? 1 : 0);
    }

    /** Where the supervisor's own meters go: Prometheus, and OTLP when configured. */
    public MeterRegistry registry() {
        return exported;
    }

    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    /**
     * Registers a test's gauges up front; its {@code perpetual_run_seconds} series come with the first run of each
     * outcome, so a test that always passes costs the series of one outcome, not six.
     */
    void register(ScheduledTest test) {
        tests.computeIfAbsent(test.name(), name -> new TestMeters(test));
    }

    void recorded(RunRecord record) {
        TestMeters meters = tests.get(record.test());
        if (meters != null) {
            meters.recorded(record);
        }
    }

    public void skipped(String test, String reason, long count) {
        Counter.builder("perpetual.run.skipped")
                .description("Scheduled runs that did not start")
                .tag("test", test)
                .tag("reason", reason)
                .register(exported)
                .increment(count);
    }

    public void lateness(long nanos) {
        lateness.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            }
            catch (Exception e) {
                // closing at shutdown; nothing to do
            }
        }
        exported.close();
        if (otlp != null) {
            otlp.close(); // publishes once more
        }
        prometheus.close();
    }

    /** One test's meters, looked up once rather than per run; an outcome's timer is made at its first run. */
    private final class TestMeters {

        private final ScheduledTest test;
        private final Map<Outcome, Timer> runs = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile double lastSuccess = Double.NaN;
        private volatile double lastRunSeconds = Double.NaN;

        TestMeters(ScheduledTest test) {
            this.test = test;
            Gauge.builder("perpetual.test.last.success", this, meters -> meters.lastSuccess)
                    .description("1 if the test's last run that was not aborted passed, else 0")
                    .tag("test", test.name())
                    .register(exported);
            Gauge.builder("perpetual.test.last.run.timestamp", this, meters -> meters.lastRunSeconds)
                    .description("When the test's last run started, in seconds since the epoch")
                    .tag("test", test.name())
                    .baseUnit("seconds")
                    .register(exported);
        }

        void recorded(RunRecord record) {
            runs.computeIfAbsent(record.outcome(), outcome -> Timer.builder("perpetual.run")
                    .description("Runs of perpetual tests, by outcome")
                    .tag("test", test.name())
                    .tag("class", test.className())
                    .tag("outcome", outcome.label())
                    .serviceLevelObjectives(runBuckets)
                    .register(exported)).record(record.duration());
            lastRunSeconds = record.start().toEpochMilli() / 1000.0;
            if (record.outcome() != Outcome.ABORTED) {
                lastSuccess = record.outcome().succeeded() ? 1 : 0;
            }
        }
    }
}

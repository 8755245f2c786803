package dev.perpetual.daemon.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.OperatingSystemMXBean;
import dev.perpetual.Perpetual;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.PerpetualHost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Per-run overhead through the daemon's executor (Launcher, extension with preemptive timeouts, record, metrics),
 * against the bare Launcher; and 100 trivial tests at a 100 ms period through the scheduler. Run with
 * {@code ./mvnw -Pbenchmarks verify -pl launcher-daemon}; {@code -Dbenchmark.seconds=300} for the full
 * five minutes (default 60).
 */
@Tag("benchmark")
class DaemonBenchmark {

    private static final int WARM_UP = 5_000;
    private static final int MEASURED = 20_000;

    /**
     * One caller, sequential, the paths interleaved in rounds of {@value #ROUND} runs so that the load of other
     * processes falls on all of them alike: the bare Launcher; the Launcher with a {@code @Perpetual} test and its
     * timeout off (the extension's own cost) and on (plus whatever enforcing it costs); and the daemon's executor
     * (plus its hand-off to a worker, the record and the metrics). Then throughput with 1, 2 and 4 callers.
     */
    @Test
    void perRunOverhead() throws Exception {
        try (Fixture fixture = new Fixture(TrivialTestCase.class)) {
            ScheduledTest test = fixture.tests.get(0);
            var launcher = fixture.session.getLauncher();
            var bareRequest = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(PlainTestCase.class))
                    .build();
            var noTimeoutRequest = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectUniqueId(test.uniqueId()))
                    .configurationParameter("junit.jupiter.execution.timeout.mode", "disabled")
                    .enableImplicitConfigurationParameters(false).build();
            TestExecutionListener none = new TestExecutionListener() {
            };
            List<Path> paths = List.of(
                    new Path("bare Launcher, plain @Test, reused request, one session",
                            () -> launcher.execute(bareRequest, none)),
                    new Path("Launcher, @Perpetual, timeout off (extension, host report)",
                            () -> launcher.execute(noTimeoutRequest, none)),
                    new Path("Launcher, @Perpetual, preemptive timeout on the extension's own thread (no host "
                            + "lends its thread: mvn test, IDE)", () -> launcher.execute(test.request(), none)),
                    new Path("**daemon worker: @Perpetual, preemptive timeout on the lent worker, recorded (history, "
                            + "metrics, console line)**: from the worker taking the run to its record kept", () -> {
                                CountDownLatch done = new CountDownLatch(1);
                                long[] took = new long[1];
                                fixture.executor.start(test, null, record -> {
                                    long keeping = System.nanoTime();
                                    fixture.results.record(record);
                                    took[0] = record.duration().toNanos() + System.nanoTime() - keeping;
                                    done.countDown();
                                });
                                done.await();
                                return took[0];
                            }),
                    new Path("daemon executor, the same from start() to the record kept: plus the hand-off to a "
                            + "worker (the scheduler's)", () -> {
                                CountDownLatch done = new CountDownLatch(1);
                                long[] recorded = new long[1];
                                long start = System.nanoTime();
                                fixture.executor.start(test, null, record -> {
                                    fixture.results.record(record);
                                    recorded[0] = System.nanoTime();
                                    done.countDown();
                                });
                                done.await();
                                return recorded[0] - start;
                            }),
                    new Path("daemon executor, round trip: plus the caller's wake-up on the record", () -> {
                        CountDownLatch done = new CountDownLatch(1);
                        fixture.executor.start(test, null, record -> {
                            fixture.results.record(record);
                            done.countDown();
                        });
                        done.await();
                    }));
            for (int round = 0; round < (WARM_UP + MEASURED) / ROUND; round++) {
                for (Path path : paths) {
                    path.round(round * ROUND >= WARM_UP);
                }
            }
            double bare = paths.get(0).p50();
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n| path (one caller, sequential, "
                    + "interleaved) | p50 µs | p99 µs | runs/s (1 / mean) | p50 ÷ bare |%n|---|---|---|---|---|%n"));
            for (Path path : paths) {
                table.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f× |%n", path.name,
                        path.p50(), path.percentile(99), path.perSecond(), path.p50() / bare));
            }
            table.append(String.format(Locale.ROOT, "%n| callers (each sequential, %d s) | bare Launcher runs/s "
                    + "| daemon executor runs/s |%n|---|---|---|%n", THROUGHPUT_SECONDS));
            for (int callers : new int[] { 1, 2, 4 }) {
                double bareRate = throughput(callers, paths.get(0).body);
                double executorRate = throughput(callers, paths.get(5).body);
                table.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f |%n", callers, bareRate,
                        executorRate));
            }
            System.out.print(table);
        }
    }

    private static final int ROUND = 1_000;
    private static final int THROUGHPUT_SECONDS = 5;

    /** Runs per second of {@code callers} threads each running {@code body} back to back. */
    private static double throughput(int callers, Body body) throws Exception {
        AtomicLong runs = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int i = 0; i < callers; i++) {
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        body.run();
                        if (measuring.get()) {
                            runs.incrementAndGet();
                        }
                    }
                }
                catch (Throwable t) {
                    failure.set(t);
                }
            }, "caller-" + i);
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(1_000);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(THROUGHPUT_SECONDS * 1_000L);
        long counted = runs.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return counted / seconds;
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /** A body that measures itself: returns the nanoseconds its run took. */
    @FunctionalInterface
    private interface TimedBody {
        long run() throws Exception;
    }

    /** One measured path: its samples after warm-up. */
    private static final class Path {
        final String name;
        final Body body;
        final long[] samples = new long[MEASURED];
        int count;
        boolean sorted;

        final TimedBody timed;

        Path(String name, Body body) {
            this.name = name;
            this.body = body;
            this.timed = () -> {
                long start = System.nanoTime();
                body.run();
                return System.nanoTime() - start;
            };
        }

        Path(String name, TimedBody timed) {
            this.name = name;
            this.body = timed::run;
            this.timed = timed;
        }

        void round(boolean measure) throws Exception {
            for (int i = 0; i < ROUND; i++) {
                long took = timed.run();
                if (measure) {
                    samples[count++] = took;
                }
            }
        }

        double percentile(int p) {
            if (!sorted) {
                Arrays.sort(samples, 0, count);
                sorted = true;
            }
            return samples[count * p / 100] / 1e3;
        }

        double p50() {
            return percentile(50);
        }

        double perSecond() {
            return 1e9 / Arrays.stream(samples, 0, count).average().orElse(1);
        }
    }

    @Test
    void hundredTrivialTestsAtAHundredMillisecondPeriod() throws Exception {
        Duration length = Duration.ofSeconds(Long.getLong("benchmark.seconds", 60));
        try (Fixture fixture = new Fixture(Bench0TestCase.class, Bench1TestCase.class, Bench2TestCase.class,
                Bench3TestCase.class, Bench4TestCase.class, Bench5TestCase.class, Bench6TestCase.class,
                Bench7TestCase.class, Bench8TestCase.class, Bench9TestCase.class)) {
            if (fixture.tests.size() != 100) {
                throw new IllegalStateException("expected 100 tests, found " + fixture.tests.size());
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Recorder recorder = new Recorder(fixture.results);
            Histogram ticks = new Histogram();
            Histogram starts = new Histogram();
            Scheduler warmUp = new Scheduler(fixture.tests, fixture.executor, fixture.metrics, record -> {
            }, 64);
            warmUp.start();
            Thread.sleep(10_000);
            warmUp.stop();
            fixture.executor.awaitIdle(Duration.ofSeconds(5));
            long heapStart = usedHeapAfterGc();
            int threadsStart = threads.getThreadCount();
            java.util.Map<String, Long> cpuByGroupStart = cpuByThreadGroup(threads);
            long cpuStart = os.getProcessCpuTime();
            Scheduler scheduler = new Scheduler(fixture.tests, fixture.executor, fixture.metrics, recorder, 64);
            scheduler.tickLateness = ticks::add;
            fixture.executor.startLateness = starts::add;
            long start = System.nanoTime();
            scheduler.start();
            long sampleEvery = Long.getLong("benchmark.sample.seconds", 60) * 1000;
            for (long slept = 0; slept < length.toMillis(); slept += sampleEvery) {
                Thread.sleep(Math.min(sampleEvery, length.toMillis() - slept));
                if (slept + sampleEvery < length.toMillis()) {
                    Runtime runtime = Runtime.getRuntime();
                    System.out.printf(Locale.ROOT, "  after %4d s: %,d runs, heap used %.1f MiB (before GC), "
                            + "threads %d%n", (System.nanoTime() - start) / 1_000_000_000, recorder.count.get(),
                            (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0, threads.getThreadCount());
                }
            }
            scheduler.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            fixture.executor.awaitIdle(Duration.ofSeconds(5));
            long cpu = os.getProcessCpuTime() - cpuStart;
            java.util.Map<String, Long> cpuByGroup = cpuByThreadGroup(threads);
            int threadsEnd = threads.getThreadCount();
            long heapEnd = usedHeapAfterGc();
            long runs = recorder.count.get();
            System.out.printf(Locale.ROOT, "%n| 100 trivial tests @ 100 ms, %s | value |%n|---|---|%n"
                    + "| runs/s planned | 1000 |%n| runs/s achieved | %.1f |%n| runs not passed | %d |%n"
                    + "| scheduler's own lateness (tick − planned) p50 / p99 / max | %.3f / %.3f / %.3f ms |%n"
                    + "| lateness (worker's actual start − planned) p50 | %.3f ms |%n| lateness p99 | %.3f ms |%n"
                    + "| lateness max | %.3f ms |%n"
                    + "| CPU per run (process, all threads) | %.3f ms |%n| heap after GC start → end | %.1f → %.1f MiB |%n"
                    + "| threads start → end | %d → %d |%n",
                    length, runs / seconds, recorder.notPassed.get(), ticks.percentileMillis(50),
                    ticks.percentileMillis(99), ticks.maxMillis(), starts.percentileMillis(50),
                    starts.percentileMillis(99), starts.maxMillis(), cpu / 1e6 / runs,
                    heapStart / 1048576.0, heapEnd / 1048576.0, threadsStart, threadsEnd);
            StringBuilder perGroup = new StringBuilder("| CPU per run by thread (live threads; JVM threads: GC, JIT) |");
            cpuByGroup.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(entry -> {
                        long used = entry.getValue() - cpuByGroupStart.getOrDefault(entry.getKey(), 0L);
                        if (used > runs * 1_000L) { // ≥ 1 µs per run
                            perGroup.append(String.format(Locale.ROOT, " %s %.1f µs;", entry.getKey(),
                                    used / 1e3 / runs));
                        }
                    });
            System.out.println(perGroup.append(" |"));
        }
    }

    /** CPU time of the live threads, by name with the numbers taken out. */
    private static java.util.Map<String, Long> cpuByThreadGroup(ThreadMXBean threads) {
        java.util.Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    byGroup.merge(info.getThreadName().replaceAll("[0-9]+", "N"), cpu, Long::sum);
                }
            }
        }
        return byGroup;
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Lateness samples in 10 µs buckets up to 10 s: constant memory however long the run, so that the benchmark's
     * own data does not show in the heap it measures.
     */
    private static final class Histogram {
        private static final long BUCKET_NANOS = 10_000;
        private final long[] counts = new long[1_000_000];
        private long total;
        private long max;

        synchronized void add(long nanos) {
            counts[(int) Math.min(counts.length - 1, Math.max(0, nanos) / BUCKET_NANOS)]++;
            total++;
            max = Math.max(max, nanos);
        }

        /** The upper bound of the bucket holding the {@code p}-th percentile, in milliseconds. */
        synchronized double percentileMillis(double p) {
            long rank = (long) Math.ceil(total * p / 100);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank && seen > 0) {
                    return (i + 1) * BUCKET_NANOS / 1e6;
                }
            }
            return Double.NaN;
        }

        synchronized double maxMillis() {
            return max / 1e6;
        }
    }

    /** Counts the runs, and records each as the daemon does (history, metrics, console). */
    private static final class Recorder implements java.util.function.Consumer<RunRecord> {
        final AtomicInteger notPassed = new AtomicInteger();
        final AtomicLong count = new AtomicLong();
        private final Results results;

        Recorder(Results results) {
            this.results = results;
        }

        @Override
        public void accept(RunRecord record) {
            results.record(record);
            if (record.outcome() != Outcome.PASS) {
                notPassed.incrementAndGet();
            }
            count.incrementAndGet();
        }
    }

    /** A session, metrics, executor and host, as the daemon wires them, over the given classes. */
    private static final class Fixture implements AutoCloseable {
        final LauncherSession session = LauncherFactory.openSession();
        final DaemonMetrics metrics = new DaemonMetrics(null);
        final RunExecutor executor;
        final HttpApi http;
        final Results results;
        final List<ScheduledTest> tests;

        Fixture(Class<?>... classes) throws Exception {
            List<String> args = new ArrayList<>();
            for (Class<?> type : classes) {
                args.add("--select-class");
                args.add(type.getName());
            }
            DaemonCommand command = picocli.CommandLine.populateCommand(new DaemonCommand(),
                    args.toArray(String[]::new));
            List<String> problems = new ArrayList<>();
            Catalog catalog = Discovery.discover(session.getLauncher(), command.selection(),
                    UserClasses.of(List.of(), problems), problems);
            if (!problems.isEmpty()) {
                throw new IllegalStateException(problems.toString());
            }
            tests = catalog.scheduled();
            // The console's line per run is formatted and written, to nowhere: the benchmark's output stays readable.
            java.io.PrintStream nowhere = new java.io.PrintStream(java.io.OutputStream.nullOutputStream(), true);
            results = new Results(tests, List.of(), metrics,
                    new Console(Console.Format.TEXT, nowhere, nowhere, new com.fasterxml.jackson.databind.ObjectMapper()));
            executor = new RunExecutor(session.getLauncher(), metrics, getClass().getClassLoader());
            http = HttpApi.start(0, metrics, results, () -> true, new com.fasterxml.jackson.databind.ObjectMapper(), "bench");
            session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY,
                    new DaemonHost(metrics, http, executor));
        }

        @Override
        public void close() {
            session.close();
            http.close();
            executor.close();
            metrics.close();
        }
    }

    static class TrivialTestCase {
        @Perpetual(period = "100ms", timeout = "10s")
        void trivial() {
        }
    }

    static class PlainTestCase {
        @Test
        void plain() {
        }
    }

    abstract static class TenTrivialTests {
        @Perpetual(period = "100ms", timeout = "10s") void t0() { }
        @Perpetual(period = "100ms", timeout = "10s") void t1() { }
        @Perpetual(period = "100ms", timeout = "10s") void t2() { }
        @Perpetual(period = "100ms", timeout = "10s") void t3() { }
        @Perpetual(period = "100ms", timeout = "10s") void t4() { }
        @Perpetual(period = "100ms", timeout = "10s") void t5() { }
        @Perpetual(period = "100ms", timeout = "10s") void t6() { }
        @Perpetual(period = "100ms", timeout = "10s") void t7() { }
        @Perpetual(period = "100ms", timeout = "10s") void t8() { }
        @Perpetual(period = "100ms", timeout = "10s") void t9() { }
    }

    static class Bench0TestCase extends TenTrivialTests { }
    static class Bench1TestCase extends TenTrivialTests { }
    static class Bench2TestCase extends TenTrivialTests { }
    static class Bench3TestCase extends TenTrivialTests { }
    static class Bench4TestCase extends TenTrivialTests { }
    static class Bench5TestCase extends TenTrivialTests { }
    static class Bench6TestCase extends TenTrivialTests { }
    static class Bench7TestCase extends TenTrivialTests { }
    static class Bench8TestCase extends TenTrivialTests { }
    static class Bench9TestCase extends TenTrivialTests { }
}

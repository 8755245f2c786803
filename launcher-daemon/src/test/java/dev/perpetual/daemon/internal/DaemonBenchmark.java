package dev.perpetual.daemon.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

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

    @Test
    void perRunOverhead() throws Exception {
        try (Fixture fixture = new Fixture(TrivialTestCase.class)) {
            ScheduledTest test = fixture.tests.get(0);
            long[] executor = new long[MEASURED];
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                CountDownLatch done = new CountDownLatch(1);
                long start = System.nanoTime();
                fixture.executor.start(test, null, record -> done.countDown());
                done.await();
                if (i >= WARM_UP) {
                    executor[i - WARM_UP] = System.nanoTime() - start;
                }
            }
            long[] bare = new long[MEASURED];
            var request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(PlainTestCase.class))
                    .build();
            TestExecutionListener none = new TestExecutionListener() {
            };
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                long start = System.nanoTime();
                fixture.session.getLauncher().execute(request, none);
                if (i >= WARM_UP) {
                    bare[i - WARM_UP] = System.nanoTime() - start;
                }
            }
            Arrays.sort(executor);
            Arrays.sort(bare);
            System.out.printf(Locale.ROOT, "%n| path (one caller, sequential) | p50 µs | p99 µs | runs/s |%n"
                    + "|---|---|---|---|%n| bare Launcher, plain @Test, reused request | %.0f | %.0f | %.0f |%n"
                    + "| daemon executor: @Perpetual (preemptive timeout), record, metrics | %.0f | %.0f | %.0f |%n",
                    bare[MEASURED / 2] / 1e3, bare[MEASURED * 99 / 100] / 1e3, 1e9 / mean(bare),
                    executor[MEASURED / 2] / 1e3, executor[MEASURED * 99 / 100] / 1e3, 1e9 / mean(executor));
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
            Recorder recorder = new Recorder();
            Scheduler warmUp = new Scheduler(fixture.tests, fixture.executor, fixture.metrics, record -> {
            }, 64);
            warmUp.start();
            Thread.sleep(10_000);
            warmUp.stop();
            fixture.executor.awaitIdle(Duration.ofSeconds(5));
            long heapStart = usedHeapAfterGc();
            int threadsStart = threads.getThreadCount();
            long cpuStart = os.getProcessCpuTime();
            Scheduler scheduler = new Scheduler(fixture.tests, fixture.executor, fixture.metrics, recorder, 64);
            long start = System.nanoTime();
            scheduler.start();
            Thread.sleep(length.toMillis());
            scheduler.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            fixture.executor.awaitIdle(Duration.ofSeconds(5));
            long cpu = os.getProcessCpuTime() - cpuStart;
            int threadsEnd = threads.getThreadCount();
            long heapEnd = usedHeapAfterGc();
            long[] lateness = recorder.lateness();
            Arrays.sort(lateness);
            int runs = lateness.length;
            System.out.printf(Locale.ROOT, "%n| 100 trivial tests @ 100 ms, %s | value |%n|---|---|%n"
                    + "| runs/s planned | 1000 |%n| runs/s achieved | %.1f |%n| runs not passed | %d |%n"
                    + "| lateness p50 | %.3f ms |%n| lateness p99 | %.3f ms |%n| lateness max | %.3f ms |%n"
                    + "| CPU per run (process, all threads) | %.3f ms |%n| heap after GC start → end | %.1f → %.1f MiB |%n"
                    + "| threads start → end | %d → %d |%n",
                    length, runs / seconds, recorder.notPassed.get(), lateness[runs / 2] / 1e6,
                    lateness[runs * 99 / 100] / 1e6, lateness[runs - 1] / 1e6, cpu / 1e6 / runs,
                    heapStart / 1048576.0, heapEnd / 1048576.0, threadsStart, threadsEnd);
        }
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

    /** Lateness of every run, start minus planned. */
    private static final class Recorder implements java.util.function.Consumer<RunRecord> {
        private final List<long[]> chunks = new ArrayList<>();
        private long[] chunk = new long[1 << 16];
        private int used;
        final AtomicInteger notPassed = new AtomicInteger();
        final AtomicLong count = new AtomicLong();

        @Override
        public synchronized void accept(RunRecord record) {
            if (record.outcome() != Outcome.PASS) {
                notPassed.incrementAndGet();
            }
            if (used == chunk.length) {
                chunks.add(chunk);
                chunk = new long[chunk.length];
                used = 0;
            }
            chunk[used++] = Duration.between(record.planned(), record.start()).toNanos();
            count.incrementAndGet();
        }

        synchronized long[] lateness() {
            long[] all = new long[(int) count.get()];
            int at = 0;
            for (long[] full : chunks) {
                System.arraycopy(full, 0, all, at, full.length);
                at += full.length;
            }
            System.arraycopy(chunk, 0, all, at, used);
            return all;
        }
    }

    /** A session, metrics, executor and host, as the daemon wires them, over the given classes. */
    private static final class Fixture implements AutoCloseable {
        final LauncherSession session = LauncherFactory.openSession();
        final DaemonMetrics metrics = new DaemonMetrics(null);
        final RunExecutor executor;
        final HttpApi http;
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
            Results results = new Results(tests, List.of(), metrics,
                    new Console(Console.Format.TEXT, System.out, System.err, new com.fasterxml.jackson.databind.ObjectMapper()));
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

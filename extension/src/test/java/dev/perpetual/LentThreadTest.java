package dev.perpetual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A host that lends the thread calling {@code execute} ({@link PerpetualHost#lendsCurrentThread()}): the test method
 * runs on that very thread, and its deadline is still enforced preemptively.
 */
@DisplayName("On a thread the host lends")
class LentThreadTest {

    private final LendingHost host = new LendingHost();
    private final LauncherSession session = LauncherFactory.openSession();

    @AfterEach
    void release() throws IOException {
        TimeoutTest.BusyLoopTestCase.release.set(true);
        BlockedReadTestCase.closeServer();
        session.close();
    }

    @Test
    void a_test_method_runs_on_the_calling_thread_and_is_reported_once_there() {
        Thread caller = Thread.currentThread();
        execute(PassingTestCase.class);

        assertThat(PassingTestCase.ranOn).isSameAs(caller);
        assertThat(host.reports).singleElement().extracting(RunReport::outcome).isEqualTo(Outcome.PASS);
        assertThat(host.reportedOn).containsExactly(caller);
        assertThat(host.abandoned).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void a_test_that_stops_when_interrupted_times_out_on_the_calling_thread_with_its_stack_and_cleanups() {
        SleepingTestCase.calls.clear();
        List<TestExecutionResult> results = execute(SleepingTestCase.class);

        RunReport report = host.reports.get(0);
        assertThat(host.reports).hasSize(1);
        assertThat(report.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(report.message()).contains("SleepingTestCase.sleeps timed out after 200ms");
        assertThat(report.failure().orElseThrow().getStackTrace()).extracting(StackTraceElement::getMethodName)
                .contains("sleeps");
        assertThat(report.testThreadStuck()).isFalse();
        assertThat(SleepingTestCase.calls).containsExactly("interrupted", "cleanup", "@AfterEach");
        assertThat(host.abandoned).isEmpty();
        assertThat(results).singleElement().extracting(TestExecutionResult::getStatus)
                .isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(Thread.currentThread().isInterrupted()).as("the timeout's interrupt is cleared").isFalse();
    }

    @Test
    void a_test_blocked_where_interrupts_do_not_reach_is_reported_from_another_thread_and_its_thread_left_to_it()
            throws Exception {
        BlockedReadTestCase.calls.clear();
        BlockedReadTestCase.openServer();
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        CompletableFuture<Void> returned = CompletableFuture.runAsync(() -> {
            caller.complete(Thread.currentThread());
            execute(BlockedReadTestCase.class);
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> host.reports.size() == 1);
        RunReport report = host.reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(report.message()).contains("BlockedReadTestCase.readsForever timed out after 300ms; its thread "
                + "did not stop when interrupted and is abandoned");
        assertThat(report.failure().orElseThrow().getStackTrace()).extracting(StackTraceElement::getMethodName)
                .contains("readsForever");
        assertThat(report.testThreadStuck()).isTrue();
        assertThat(host.abandoned).containsExactly(caller.get());
        assertThat(host.reportedOn).doesNotContain(caller.get());
        assertThat(BlockedReadTestCase.calls).as("the cleanups ran, the thread still blocked")
                .containsExactly("cleanup");
        assertThat(returned).isNotDone();
        assertThat(stuck()).isEqualTo(1.0);

        BlockedReadTestCase.closeServer(); // the read ends; the lifecycle goes on without reporting again
        returned.get(5, TimeUnit.SECONDS);
        assertThat(host.reports).hasSize(1);
        assertThat(BlockedReadTestCase.calls).containsExactly("cleanup", "@AfterEach");
        assertThat(stuck()).isZero();
    }

    @Test
    void a_busy_loop_that_ignores_interrupts_is_abandoned_counted_as_stuck_and_uncounted_when_it_returns()
            throws Exception {
        TimeoutTest.BusyLoopTestCase.release.set(false);
        CompletableFuture<Void> returned = CompletableFuture
                .runAsync(() -> execute(TimeoutTest.BusyLoopTestCase.class));

        await().atMost(Duration.ofSeconds(5)).until(() -> host.reports.size() == 1);
        RunReport report = host.reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(report.failure().orElseThrow().getStackTrace()).extracting(StackTraceElement::getMethodName)
                .contains("spins");
        assertThat(report.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(stuck()).isEqualTo(1.0);

        TimeoutTest.BusyLoopTestCase.release.set(true);
        returned.get(5, TimeUnit.SECONDS);
        assertThat(host.reports).hasSize(1);
        assertThat(stuck()).isZero();
    }

    @Test
    void a_host_that_does_not_lend_the_thread_gets_the_test_method_run_on_a_thread_of_the_extension() {
        host.lends = false;
        Thread caller = Thread.currentThread();
        execute(PassingTestCase.class);

        assertThat(PassingTestCase.ranOn).isNotSameAs(caller);
        assertThat(host.reports).singleElement().extracting(RunReport::outcome).isEqualTo(Outcome.PASS);
    }

    /** Executes the one test method of {@code testClass}. */
    private List<TestExecutionResult> execute(Class<?> testClass) {
        session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
        List<TestExecutionResult> results = new CopyOnWriteArrayList<>();
        session.getLauncher().execute(request().selectors(selectClass(testClass)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                        if (identifier.isTest()) {
                            results.add(result);
                        }
                    }
                });
        return results;
    }

    private double stuck() {
        return host.registry.get("perpetual.threads.stuck").gauge().value();
    }

    /** Records reports, and the threads they came on; lends the calling thread unless told not to. */
    static final class LendingHost extends SessionTest.RecordingHost {

        final List<Thread> reportedOn = new CopyOnWriteArrayList<>();
        final List<Thread> abandoned = new CopyOnWriteArrayList<>();
        volatile boolean lends = true;

        @Override
        public void runFinished(RunReport report) {
            reportedOn.add(Thread.currentThread());
            super.runFinished(report);
        }

        @Override
        public boolean lendsCurrentThread() {
            return lends;
        }

        @Override
        public void runAbandoned(RunReport report, Thread thread) {
            abandoned.add(thread);
            reports.add(report);
        }
    }

    static class PassingTestCase {
        static volatile Thread ranOn;

        @Perpetual(period = "1m", timeout = "5s")
        void passes() {
            ranOn = Thread.currentThread();
        }
    }

    static class SleepingTestCase {
        static final List<String> calls = new CopyOnWriteArrayList<>();

        @AfterEach
        void after() {
            calls.add("@AfterEach");
        }

        @Perpetual(period = "1m", timeout = "200ms")
        void sleeps(O o) {
            o.cleanup(() -> calls.add("cleanup"));
            try {
                Thread.sleep(60_000);
            }
            catch (InterruptedException e) {
                calls.add("interrupted");
            }
        }
    }

    /** TimeoutTest's blocked read, with an {@code @AfterEach} that shows when the lifecycle goes on. */
    static class BlockedReadTestCase extends TimeoutTest.BlockedReadTestCase {

        @AfterEach
        void after() {
            calls.add("@AfterEach");
        }
    }
}

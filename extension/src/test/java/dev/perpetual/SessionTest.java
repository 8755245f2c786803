package dev.perpetual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import dev.perpetual.spi.WebhookEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

@DisplayName("Across the runs of one launcher session")
class SessionTest {

    @Test
    void a_host_receives_one_report_per_run_and_the_test_meters() {
        RecordingHost host = new RecordingHost();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
            LauncherDiscoveryRequest request = request().selectors(selectClass(ReportedTestCase.class)).build();

            session.getLauncher().execute(request);
            session.getLauncher().execute(request);
        }

        assertThat(host.reports).hasSize(4);
        RunReport pass = host.reports.stream().filter(r -> r.test().equals("ReportedTestCase.passes")).findFirst()
                .orElseThrow();
        assertThat(pass.outcome()).isEqualTo(Outcome.PASS);
        assertThat(pass.testClass()).isEqualTo(ReportedTestCase.class.getName());
        assertThat(pass.uniqueId()).contains("passes");
        assertThat(pass.logLines()).containsExactly("hello");
        assertThat(pass.steps()).extracting(RunReport.Step::name).containsExactly("load");
        assertThat(pass.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(pass.failure()).isEmpty();
        RunReport fail = host.reports.stream().filter(r -> r.test().equals("ReportedTestCase.fails")).findFirst()
                .orElseThrow();
        assertThat(fail.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(fail.message()).contains("total was 3");
        assertThat(host.reports).extracting(RunReport::runId).doesNotHaveDuplicates();

        assertThat(host.registry.get("visits").tag("test", "ReportedTestCase.passes").counter().count())
                .isEqualTo(2.0);
        assertThat(host.registry.get("perpetual.step").tags("test", "ReportedTestCase.passes", "step", "load",
                "outcome", "pass").timer().count()).isEqualTo(2);
        assertThat(host.registry.get("perpetual.threads.stuck").gauge().value()).isZero();
    }

    @Test
    void a_shared_fixture_is_made_once_reused_by_every_run_and_closed_with_the_session() {
        SharedTestCase.made.set(0);
        SharedTestCase.closed.set(0);
        SharedTestCase.beforeAll.set(0);
        SharedTestCase.seen.clear();
        try (LauncherSession session = LauncherFactory.openSession()) {
            LauncherDiscoveryRequest request = request().selectors(selectClass(SharedTestCase.class))
                    .configurationParameter("shop.url", "https://shop.example").build();
            SummaryGeneratingListener summary = new SummaryGeneratingListener();

            for (int i = 0; i < 3; i++) {
                session.getLauncher().execute(request, summary);
                assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(2);
            }
            assertThat(SharedTestCase.closed).hasValue(0);
        }

        assertThat(SharedTestCase.made).hasValue(1);
        assertThat(SharedTestCase.closed).hasValue(1);
        assertThat(SharedTestCase.beforeAll).as("@BeforeAll runs again on every execution").hasValue(3);
        assertThat(SharedTestCase.seen).hasSize(6).containsOnly("https://shop.example#1");
    }

    @Test
    void a_shared_factory_that_failed_is_called_again_by_the_next_run() {
        FlakySharedTestCase.calls.set(0);
        try (LauncherSession session = LauncherFactory.openSession()) {
            LauncherDiscoveryRequest request = request().selectors(selectClass(FlakySharedTestCase.class)).build();
            SummaryGeneratingListener first = new SummaryGeneratingListener();
            SummaryGeneratingListener second = new SummaryGeneratingListener();

            session.getLauncher().execute(request, first);
            session.getLauncher().execute(request, second);

            assertThat(first.getSummary().getFailures()).singleElement()
                    .extracting(failure -> failure.getException().getMessage()).isEqualTo("Failed to resolve "
                            + "parameter [dev.perpetual.SessionTest$ShopClient shop] in method [void "
                            + "dev.perpetual.SessionTest$FlakySharedTestCase.run(dev.perpetual.SessionTest$ShopClient)]: "
                            + "shop unreachable");
            assertThat(second.getSummary().getTestsSucceededCount()).isEqualTo(1);
        }
        assertThat(FlakySharedTestCase.calls).hasValue(2);
    }

    @Test
    void a_shared_factory_that_is_not_static_is_refused_with_the_fix() {
        Throwable failure = TestKit.failure(TestKit.execute(NonStaticSharedTestCase.class));

        assertThat(failure).hasMessageEndingWith("@Shared method NonStaticSharedTestCase.client must be a static factory that "
                + "returns the fixture, such as: @Shared static ShopClient shop() {...}");
    }

    static class RecordingHost implements PerpetualHost {

        final MeterRegistry registry = new SimpleMeterRegistry();
        final List<RunReport> reports = new CopyOnWriteArrayList<>();

        @Override
        public MeterRegistry meterRegistry() {
            return registry;
        }

        @Override
        public URI serveWebhooks(WebhookEndpoint endpoint) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        @Override
        public void runFinished(RunReport report) {
            reports.add(report);
        }
    }

    static class ReportedTestCase {

        @Perpetual(period = "1m", timeout = "5s")
        void passes(O o) {
            o.log("hello");
            o.step("load", () -> o.metrics().counter("visits").increment());
        }

        @Perpetual(period = "1m", timeout = "5s")
        void fails(O o) {
            o.error("total was %d", 3);
        }
    }

    static final class ShopClient implements AutoCloseable {

        final String url;
        final int number;

        ShopClient(String url, int number) {
            this.url = url;
            this.number = number;
        }

        @Override
        public void close() {
            SharedTestCase.closed.incrementAndGet();
        }
    }

    static class SharedTestCase {

        static final AtomicInteger made = new AtomicInteger();
        static final AtomicInteger closed = new AtomicInteger();
        static final AtomicInteger beforeAll = new AtomicInteger();
        static final List<String> seen = new CopyOnWriteArrayList<>();

        @Shared
        static ShopClient shop(Config config) {
            return new ShopClient(config.require("shop.url"), made.incrementAndGet());
        }

        @BeforeAll
        static void countBeforeAll() {
            beforeAll.incrementAndGet();
        }

        @Perpetual(period = "1m")
        void first(ShopClient shop) {
            seen.add(shop.url + "#" + shop.number);
        }

        @Perpetual(period = "1m")
        void second(O o, ShopClient shop) {
            seen.add(shop.url + "#" + shop.number);
        }
    }

    static class FlakySharedTestCase {

        static final AtomicInteger calls = new AtomicInteger();

        @Shared
        static ShopClient shop() {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("shop unreachable");
            }
            return new ShopClient("https://shop.example", calls.get());
        }

        @Perpetual(period = "1m")
        void run(ShopClient shop) {
        }
    }

    static class NonStaticSharedTestCase {

        @Shared
        ShopClient client() {
            return new ShopClient("x", 0);
        }

        @Perpetual(period = "1m")
        void run(ShopClient shop) {
        }
    }
}

package dev.perpetual.worker.internal.reuse;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import javax.tools.ToolProvider;

import dev.perpetual.Constants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * The worker's session with a {@link ReusingJupiterEngine}, through the real Launcher and Jupiter: a run on a reused
 * tree gives the events, report entries and lifecycle order a run on a fresh discovery gives, run after run; the
 * class is discovered once per tree; a stuck run's tree is dropped; what reuse does not know goes to a fresh discovery,
 * said once.
 */
class ReusingJupiterEngineTest {

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Sessions sessions = new Sessions();
    /** Threads for runs at once: one each, whatever the common pool's size. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeSessions() {
        threads.shutdownNow();
        sessions.close();
    }

    @Test
    void runsOnAReusedTreeGiveTheEventsAndLifecycleOrderOfAFreshDiscovery() {
        Runs reused = sessions.open(true);
        Runs fresh = sessions.open(false);
        List<UniqueId> methods = List.of(method(LifecycleTestCase.class, "passes(org.junit.jupiter.api.TestReporter)"),
                method(LifecycleTestCase.class, "fails()"),
                nested(LifecycleTestCase.class, LifecycleTestCase.Inner.class, "inside(org.junit.jupiter.api.TestReporter)"));

        for (int i = 0; i < 30; i++) {
            UniqueId method = methods.get(i % methods.size());
            assertThat(reused.run(method)).as("run %d of %s", i, method).isEqualTo(fresh.run(method));
        }

        assertThat(fresh.run(methods.get(0))).containsExactly(
                "start JUnit Jupiter",
                "start A class of lifecycle methods",
                "entry A class of lifecycle methods: value=beforeAll",
                "start passes",
                "entry passes: extension=beforeEach passes",
                "entry passes: value=beforeEach",
                "entry passes: value=passes",
                "entry passes: value=afterEach",
                "end passes SUCCESSFUL",
                "entry A class of lifecycle methods: value=afterAll",
                "entry A class of lifecycle methods: extension=afterAll A class of lifecycle methods",
                "end A class of lifecycle methods SUCCESSFUL",
                "end JUnit Jupiter SUCCESSFUL");
        assertThat(fresh.run(methods.get(2))).containsExactly(
                "start JUnit Jupiter",
                "start A class of lifecycle methods",
                "entry A class of lifecycle methods: value=beforeAll",
                "start inside",
                "start inside(TestReporter)",
                "entry inside(TestReporter): extension=beforeEach inside(TestReporter)",
                "entry inside(TestReporter): value=beforeEach",
                "entry inside(TestReporter): value=inner beforeEach",
                "entry inside(TestReporter): value=inside",
                "entry inside(TestReporter): value=afterEach",
                "end inside(TestReporter) SUCCESSFUL",
                "entry inside: extension=afterAll inside",
                "end inside SUCCESSFUL",
                "entry A class of lifecycle methods: value=afterAll",
                "entry A class of lifecycle methods: extension=afterAll A class of lifecycle methods",
                "end A class of lifecycle methods SUCCESSFUL",
                "end JUnit Jupiter SUCCESSFUL");
        assertThat(reused.engine().discovered(LifecycleTestCase.class.getName())).isEqualTo(1);
        assertThat(fresh.engine().discovered(LifecycleTestCase.class.getName())).isZero();
        assertThat(log).containsExactly("perpetual worker: discovery not reused, perpetual.worker.reuse-discovery is "
                + "false; such runs discover their test afresh.");
    }

    @Test
    void aFailingBeforeAllFailsEveryRunOnTheReusedTreeAsOnAFreshOne() {
        Runs reused = sessions.open(true);
        Runs fresh = sessions.open(false);
        UniqueId one = method(FailingBeforeAllTestCase.class, "one()");

        for (int i = 0; i < 5; i++) {
            assertThat(reused.run(one)).isEqualTo(fresh.run(one)).containsExactly(
                    "start JUnit Jupiter",
                    "start ReusingJupiterEngineTest$FailingBeforeAllTestCase",
                    "end ReusingJupiterEngineTest$FailingBeforeAllTestCase FAILED before all fails",
                    "end JUnit Jupiter SUCCESSFUL");
        }
        assertThat(reused.engine().discovered(FailingBeforeAllTestCase.class.getName())).isEqualTo(1);
    }

    @Test
    void runsOfOneClassAtOnceEachHaveATreeOfTheirOwn() {
        Runs reused = sessions.open(true);
        UniqueId first = method(TogetherTestCase.class, "first()");
        UniqueId second = method(TogetherTestCase.class, "second()");

        for (int i = 0; i < 10; i++) {
            // Each method waits at a barrier for the other: both pass only if both run at once.
            CompletableFuture<List<String>> one = CompletableFuture.supplyAsync(() -> reused.run(first), threads);
            CompletableFuture<List<String>> two = CompletableFuture.supplyAsync(() -> reused.run(second), threads);
            assertThat(one.join()).contains("end first() SUCCESSFUL").doesNotContain("start second()");
            assertThat(two.join()).contains("end second() SUCCESSFUL").doesNotContain("start first()");
        }

        assertThat(reused.engine().discovered(TogetherTestCase.class.getName())).isEqualTo(2);
        assertThat(reused.engine().idle(TogetherTestCase.class.getName())).isEqualTo(2);
    }

    @Test
    void moreRunsOfOneClassAtOnceThanItsTreesDiscoverAfreshAsWithoutReuse() {
        Runs reused = sessions.open(true, 2);
        List<UniqueId> methods = List.of(method(ThreeTogetherTestCase.class, "first()"),
                method(ThreeTogetherTestCase.class, "second()"), method(ThreeTogetherTestCase.class, "third()"));

        for (int i = 0; i < 5; i++) {
            // All three wait at one barrier: they pass only if they run at once, on two trees and one fresh discovery.
            List<CompletableFuture<List<String>>> runs = methods.stream()
                    .map(method -> CompletableFuture.supplyAsync(() -> reused.run(method), threads)).toList();
            for (int m = 0; m < methods.size(); m++) {
                assertThat(runs.get(m).join()).contains("end " + methods.get(m).getLastSegment().getValue()
                        + " SUCCESSFUL");
            }
        }

        assertThat(reused.engine().discovered(ThreeTogetherTestCase.class.getName())).isEqualTo(2);
        assertThat(reused.engine().idle(ThreeTogetherTestCase.class.getName())).isEqualTo(2);
        assertThat(log).isEmpty();
    }

    @Test
    void theTreeOfAStuckRunIsDroppedNotLentAgain() throws Exception {
        Runs reused = sessions.open(true);
        UniqueId stuck = method(StuckTestCase.class, "stuck()");
        UniqueId other = method(StuckTestCase.class, "other()");
        List<String> stuckRun = Collections.synchronizedList(new ArrayList<>());
        Thread thread = new Thread(() -> stuckRun.addAll(reused.run(stuck)), "stuck-run");
        thread.start();
        assertThat(StuckTestCase.ENTERED.tryAcquire(10, SECONDS)).isTrue();

        reused.engine().discard(thread); // as the worker does when it abandons the run's thread
        StuckTestCase.RELEASE.release();
        thread.join(SECONDS.toMillis(10));

        assertThat(stuckRun).contains("end stuck() SUCCESSFUL");
        assertThat(reused.engine().idle(StuckTestCase.class.getName())).isZero();
        assertThat(reused.run(other)).contains("end other() SUCCESSFUL");
        assertThat(log).isEmpty();
        assertThat(reused.engine().discovered(StuckTestCase.class.getName())).isEqualTo(2);
        assertThat(reused.engine().idle(StuckTestCase.class.getName())).isEqualTo(1);
    }

    @Test
    void aClassWhoseDiscoveryReportsAnIssueIsDiscoveredAfreshForEveryRunSaidOnce() {
        Runs reused = sessions.open(true);
        Runs fresh = sessions.open(false);
        UniqueId plain = method(WarnedTestCase.class, "plain()");

        for (int i = 0; i < 3; i++) {
            assertThat(reused.run(plain)).isEqualTo(fresh.run(plain)).contains("end plain() SUCCESSFUL");
        }

        assertThat(reused.engine().discovered(WarnedTestCase.class.getName())).isZero();
        assertThat(log).containsExactlyInAnyOrder(
                "perpetual worker: discovery not reused, perpetual.worker.reuse-discovery is false; such runs "
                        + "discover their test afresh.",
                "perpetual worker: discovery not reused, discovering [[engine:junit-jupiter]/[class:"
                        + WarnedTestCase.class.getName() + "]] reported 1 issue(s), the first: WARNING @Test method "
                        + "'int " + WarnedTestCase.class.getName() + ".returnsAValue()' must not return a value. It "
                        + "will not be executed.; such runs discover their test afresh.");
    }

    @Test
    void aClassOfAThousandMethodsIsDiscoveredOnceForAThousandRuns(@TempDir Path dir) throws Exception {
        StringBuilder source = new StringBuilder("package generated;\npublic class ThousandTestCase {\n");
        for (int i = 0; i < 1000; i++) {
            source.append("  @org.junit.jupiter.api.Test void m").append(i).append("() {}\n");
        }
        source.append("  @org.junit.jupiter.api.BeforeEach void each() {}\n}\n");
        Path file = dir.resolve("generated/ThousandTestCase.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp",
                System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
        assertThat(compiled).isZero();
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] { dir.toUri().toURL() }, before)) {
            self.setContextClassLoader(loader);
            Runs reused = sessions.open(true);
            UniqueId type = UniqueId.forEngine("junit-jupiter").append("class", "generated.ThousandTestCase");

            for (int i = 0; i < 1000; i++) {
                String name = "m" + ((i * 7) % 1000);
                assertThat(reused.run(type.append("method", name + "()"))).as(name).containsExactly(
                        "start JUnit Jupiter", "start ThousandTestCase", "start " + name + "()",
                        "end " + name + "() SUCCESSFUL", "end ThousandTestCase SUCCESSFUL",
                        "end JUnit Jupiter SUCCESSFUL");
            }

            assertThat(reused.engine().discovered("generated.ThousandTestCase")).isEqualTo(1);
            assertThat(reused.engine().idle("generated.ThousandTestCase")).isEqualTo(1);
        }
        finally {
            self.setContextClassLoader(before);
        }
    }

    @Test
    void aRequestOfAnythingButOneMethodIsJupitersOwnDiscovery() {
        Runs reused = sessions.open(true);
        LauncherDiscoveryRequest wholeClass = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId(UniqueId.forEngine("junit-jupiter").append("class",
                        FailingBeforeAllTestCase.class.getName())))
                .filters(EngineFilter.includeEngines(reused.session().jupiterEngineId())).build();

        assertThat(reused.session().session().getLauncher().discover(wholeClass).getRoots())
                .singleElement().extracting(TestIdentifier::getUniqueId).isEqualTo("[engine:junit-jupiter]");
        assertThat(reused.engine().discovered(FailingBeforeAllTestCase.class.getName())).isZero();
        assertThat(log).isEmpty();
    }

    private static UniqueId method(Class<?> type, String method) {
        return UniqueId.forEngine("junit-jupiter").append("class", type.getName()).append("method", method);
    }

    private static UniqueId nested(Class<?> type, Class<?> inner, String method) {
        return UniqueId.forEngine("junit-jupiter").append("class", type.getName())
                .append("nested-class", inner.getSimpleName()).append("method", method);
    }

    /** The sessions a test opened, closed after it. */
    private final class Sessions {

        private final List<WorkerSession> open = new ArrayList<>();

        Runs open(boolean reuse) {
            return open(reuse, 2);
        }

        Runs open(boolean reuse, int treesPerClass) {
            WorkerSession session = WorkerSession.open(Thread.currentThread().getContextClassLoader(), log::add,
                    treesPerClass);
            open.add(session);
            assertThat(session.jupiterEngineId()).isEqualTo(ReusingJupiterEngine.ID);
            return new Runs(session, Map.of(Constants.WORKER_REUSE_DISCOVERY, Boolean.toString(reuse)));
        }

        void close() {
            open.forEach(session -> session.session().close());
        }
    }

    /** Runs of one test at a time through a session, each test's request built once, as the worker's are. */
    private record Runs(WorkerSession session, Map<String, String> config, Map<UniqueId, LauncherDiscoveryRequest> requests) {

        Runs(WorkerSession session, Map<String, String> config) {
            this(session, config, Collections.synchronizedMap(new HashMap<>()));
        }

        ReusingJupiterEngine engine() {
            return session.reuse().orElseThrow();
        }

        /** The run's events, in order. */
        List<String> run(UniqueId method) {
            LauncherDiscoveryRequest request = requests.computeIfAbsent(method, id -> LauncherDiscoveryRequestBuilder
                    .request().selectors(selectUniqueId(id))
                    .filters(EngineFilter.includeEngines(session.jupiterEngineId()))
                    .configurationParameters(config).enableImplicitConfigurationParameters(false).build());
            Transcript transcript = new Transcript();
            session.session().getLauncher().execute(request, transcript);
            return transcript.events;
        }
    }

    private static final class Transcript implements TestExecutionListener {

        private final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void executionStarted(TestIdentifier identifier) {
            events.add("start " + identifier.getDisplayName());
        }

        @Override
        public void executionSkipped(TestIdentifier identifier, String reason) {
            events.add("skip " + identifier.getDisplayName() + " " + reason);
        }

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            events.add("end " + identifier.getDisplayName() + " " + result.getStatus()
                    + result.getThrowable().map(thrown -> " " + thrown.getMessage()).orElse(""));
        }

        @Override
        public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
            entry.getKeyValuePairs().forEach((key, value) -> events.add("entry " + identifier.getDisplayName() + ": "
                    + key + "=" + value));
        }
    }

    @DisplayName("A class of lifecycle methods")
    @ExtendWith(LifecycleTestCase.Recording.class)
    static class LifecycleTestCase {

        @BeforeAll
        static void beforeAll(TestReporter reporter) {
            reporter.publishEntry("beforeAll");
        }

        @AfterAll
        static void afterAll(TestReporter reporter) {
            reporter.publishEntry("afterAll");
        }

        @BeforeEach
        void beforeEach(TestReporter reporter) {
            reporter.publishEntry("beforeEach");
        }

        @AfterEach
        void afterEach(TestReporter reporter) {
            reporter.publishEntry("afterEach");
        }

        @Test
        @DisplayName("passes")
        void passes(TestReporter reporter) {
            reporter.publishEntry("passes");
        }

        @Test
        void fails() {
            throw new AssertionError("fails on purpose");
        }

        @Nested
        @DisplayName("inside")
        class Inner {

            @BeforeEach
            void innerBeforeEach(TestReporter reporter) {
                reporter.publishEntry("inner beforeEach");
            }

            @Test
            void inside(TestReporter reporter) {
                reporter.publishEntry("inside");
            }
        }

        static final class Recording implements BeforeEachCallback, AfterAllCallback {

            @Override
            public void beforeEach(ExtensionContext context) {
                context.publishReportEntry("extension", "beforeEach " + context.getDisplayName());
            }

            @Override
            public void afterAll(ExtensionContext context) {
                context.publishReportEntry("extension", "afterAll " + context.getDisplayName());
            }
        }
    }

    static class FailingBeforeAllTestCase {

        @BeforeAll
        static void fails() {
            throw new IllegalStateException("before all fails");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    static class TogetherTestCase {

        static final CyclicBarrier BOTH = new CyclicBarrier(2);

        @Test
        void first() throws Exception {
            BOTH.await(10, SECONDS);
        }

        @Test
        void second() throws Exception {
            BOTH.await(10, SECONDS);
        }
    }

    static class ThreeTogetherTestCase {

        static final CyclicBarrier ALL = new CyclicBarrier(3);

        @Test
        void first() throws Exception {
            ALL.await(10, SECONDS);
        }

        @Test
        void second() throws Exception {
            ALL.await(10, SECONDS);
        }

        @Test
        void third() throws Exception {
            ALL.await(10, SECONDS);
        }
    }

    static class StuckTestCase {

        static final Semaphore ENTERED = new Semaphore(0);
        static final Semaphore RELEASE = new Semaphore(0);

        @Test
        void stuck() throws InterruptedException {
            ENTERED.release();
            RELEASE.acquire();
        }

        @Test
        void other() {
        }
    }

    static class WarnedTestCase {

        @Test
        int returnsAValue() {
            return 1;
        }

        @Test
        void plain() {
        }
    }
}

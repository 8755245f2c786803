package dev.perpetual;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.List;

import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes through the Jupiter engine, as JUnit tests its own extensions. */
public final class TestKit {

    private TestKit() {
    }

    /** Executes {@code testClass} with {@code config} given as alternating keys and values. */
    public static EngineExecutionResults execute(Class<?> testClass, String... config) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                // fixtures would otherwise print their run reports into the build log
                .configurationParameter("perpetual.report.stdout", "false");
        for (int i = 0; i < config.length; i += 2) {
            builder.configurationParameter(config[i], config[i + 1]);
        }
        return builder.execute();
    }

    /**
     * Runs {@code testClass} in a launcher session of its own, whose host records the run reports as the daemon's
     * would, with {@code config} given as alternating keys and values; the first run's report.
     */
    public static RunReport firstReport(Class<?> testClass, String... config) {
        SessionTest.RecordingHost host = new SessionTest.RecordingHost();
        LauncherDiscoveryRequestBuilder builder = request().selectors(selectClass(testClass))
                .configurationParameter("perpetual.report.stdout", "false");
        for (int i = 0; i < config.length; i += 2) {
            builder.configurationParameter(config[i], config[i + 1]);
        }
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
            session.getLauncher().execute(builder.build());
        }
        return host.reports.get(0);
    }

    /** Asserts that every test that started succeeded, and that one did. */
    public static void assertAllSucceeded(EngineExecutionResults results) {
        long started = results.testEvents().started().count();
        if (started == 0) {
            throw new AssertionError("No test started");
        }
        results.testEvents().assertStatistics(stats -> stats.failed(0).succeeded(started));
    }

    /** The values of the report entries published under {@code key}, in order. */
    public static List<String> reportEntries(EngineExecutionResults results, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class))
                .flatMap(entry -> entry.getKeyValuePairs().entrySet().stream())
                .filter(pair -> pair.getKey().equals(key))
                .map(java.util.Map.Entry::getValue)
                .toList();
    }

    /** The one failure of the one failed test. */
    public static Throwable failure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        if (failed.size() != 1) {
            throw new AssertionError("Expected exactly one failed test, but got " + failed.size() + ": " + failed);
        }
        return failed.get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
    }
}

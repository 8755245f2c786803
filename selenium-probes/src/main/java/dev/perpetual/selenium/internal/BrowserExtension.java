package dev.perpetual.selenium.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.perpetual.selenium.AnalyticsProbe;
import dev.perpetual.selenium.BrowserCrashedException;
import dev.perpetual.selenium.BrowserNetwork;
import dev.perpetual.internal.Requirements;
import dev.perpetual.internal.StoreValues;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.WebDriver;
import org.opentest4j.TestAbortedException;

/**
 * Runs {@link dev.perpetual.selenium.Browser @Browser} tests: lends each test method a tab of the session's
 * browser pool, resolves its browser parameters, and saves failure artifacts. Registered by {@code @Browser}.
 */
@API(status = INTERNAL, since = "0.1")
public final class BrowserExtension implements BeforeEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final Namespace NAMESPACE = Namespace.create(BrowserExtension.class);
    private static final String RUN = "run";

    /** Fails the test naming what of the class path is older than the probes need, before a browser starts. */
    @Override
    public void beforeEach(ExtensionContext context) {
        Requirements.check();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        Requirements.check();
        Class<?> type = parameterContext.getParameter().getType();
        return type == WebDriver.class || type == BrowserNetwork.class || type == AnalyticsProbe.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException(String.format("%s is only available in the test methods of a "
                    + "@Browser class and their @BeforeEach and @AfterEach methods, not in [%s]. Move the parameter "
                    + "there.", type.getSimpleName(), parameterContext.getDeclaringExecutable()));
        }
        BrowserRun run = run(context);
        if (type == WebDriver.class) {
            return run.driver();
        }
        if (type == BrowserNetwork.class) {
            return run.recorder();
        }
        AnalyticsServer server = StoreValues.computeIfAbsent(session(context), AnalyticsServer.class,
                () -> AnalyticsServer.start(PageServerSettings.from(context::getConfigurationParameter)),
                AnalyticsServer.class);
        return new LocalAnalyticsProbe(server, run);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        BrowserRun run = StoreValues.get(context.getStore(NAMESPACE), RUN, BrowserRun.class);
        if (run == null || failure instanceof TestAbortedException) {
            throw failure;
        }
        boolean alive = run.alive();
        BrowserSettings settings = pool(context).settings();
        Path folder = null;
        List<Throwable> problems = new ArrayList<>();
        if (settings.artifactsKeep() > 0) {
            try {
                folder = new FailureArtifacts(settings.artifactsDir(), settings.artifactsKeep())
                        .save(run, alive, problems);
                context.publishReportEntry("perpetual.browser.artifacts", folder.toAbsolutePath().toString());
            }
            catch (Exception e) {
                problems.add(e);
            }
        }
        Throwable reported = alive ? failure : crashed(run, failure, folder);
        problems.forEach(problem -> reported.addSuppressed(new IllegalStateException(
                "Could not save a failure artifact: " + problem, problem)));
        throw folder == null || !alive ? reported : ArtifactsMessage.naming(reported, folder.toAbsolutePath());
    }

    private static BrowserCrashedException crashed(BrowserRun run, Throwable failure, Path folder) {
        return new BrowserCrashedException(String.format("The browser of run %s of %s crashed or stopped answering "
                + "(%s); it will be replaced by a fresh one for the next run.%s", run.identity().runId(),
                run.identity().name(), run.browser(), folder == null ? ""
                        : " Console and network logs: " + folder.toAbsolutePath()), failure);
    }

    private static BrowserRun run(ExtensionContext context) {
        BrowserPool pool = pool(context);
        return StoreValues.computeIfAbsent(context.getStore(NAMESPACE), RUN, () -> {
            RunIdentity identity = RunIdentity.of(context);
            return pool.open(identity, identity.remaining().get());
        }, BrowserRun.class);
    }

    private static BrowserPool pool(ExtensionContext context) {
        return StoreValues.computeIfAbsent(session(context), BrowserPool.class,
                () -> BrowserPool.create(BrowserSettings.from(context::getConfigurationParameter),
                        TempRoot.standard()), BrowserPool.class);
    }

    private static ExtensionContext.Store session(ExtensionContext context) {
        return context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE);
    }
}

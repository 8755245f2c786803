package dev.perpetual.internal;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.perpetual.Config;
import dev.perpetual.O;
import dev.perpetual.WebhookWaiter;
import dev.perpetual.internal.trace.Tenancy;
import dev.perpetual.internal.trace.TraceScopes;
import dev.perpetual.internal.webhook.RunWebhooks;
import dev.perpetual.internal.webhook.WebhookReceiver;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.OutcomeRules;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.PerpetualTest;
import dev.perpetual.spi.PerpetualTests;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

/**
 * Runs {@code @Perpetual} tests: starts each run's {@link O}, enforces its deadline preemptively, runs its
 * cleanups, and reports the run. Registered by {@link dev.perpetual.Perpetual}; not meant to be used directly.
 */
public final class PerpetualExtension implements BeforeEachCallback, InvocationInterceptor,
        AfterTestExecutionCallback, AfterEachCallback, ParameterResolver,
        org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler {

    private static final Namespace NAMESPACE = Namespace.create(PerpetualExtension.class);
    private static final Namespace HOST_NAMESPACE = Namespace.create(PerpetualHost.NAMESPACE);
    private static final String RUN = "run";
    private static final String WEBHOOKS = "webhooks";

    /** The run of {@code context}'s test method, if the extension started one. */
    public static Optional<O> runOf(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(RUN, Run.class));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Requirements.check();
        Method method = context.getRequiredTestMethod();
        Function<String, Optional<String>> config = context::getConfigurationParameter;
        PerpetualTest test = PerpetualTests.resolve(context.getRequiredTestClass(), method, config);
        TraceScopes scopes = traceScopes(context); // found, OpenTelemetry loaded, before the run's clock starts
        Run run = new Run(test, Clock.systemUTC(), config, meters(context).of(test.name()), logLimits(context),
                host(context).flatMap(PerpetualHost::runId).orElse(null), outcomeRules(context),
                tenancy(context).value(), scopes);
        context.getStore(NAMESPACE).put(RUN, run);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        Run run = run(context);
        TraceScopes scopes = traceScopes(context);
        RunThreads.Body<Void> body = () -> {
            try (TraceScopes.Scope scope = scopes.open(run.trace())) {
                return invocation.proceed();
            }
        };
        Throwable thrown = null;
        try {
            if (TimeoutMode.from(context.getConfigurationParameter(TimeoutMode.KEY)).enforces()) {
                long timeout = run.test().timeout().toNanos();
                long left = timeout + grace(timeout) - (System.nanoTime() - run.startNanos());
                Optional<PerpetualHost> host = host(context);
                if (host.isPresent() && host.get().lendsCurrentThread()) {
                    Thread thread = Thread.currentThread();
                    runThreads(context).callHere(body, left,
                            timedOut -> abandoned(context, run, timedOut, host.get(), thread));
                }
                else {
                    runThreads(context).call(body, left);
                }
            }
            else {
                body.run();
            }
        }
        catch (RunThreads.TimedOut timedOut) {
            thrown = timeout(run, timedOut);
        }
        catch (Throwable t) {
            thrown = t;
        }
        Throwable failure = thrown instanceof RunTimedOutException ? withErrors(run, thrown) : run.failureAfter(thrown);
        if (failure != null) {
            throw failure;
        }
    }

    /** A {@code @BeforeEach} method runs with the run's trace current, as the test method does. */
    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedTraced(invocation, context);
    }

    /** An {@code @AfterEach} method runs with the run's trace current, as the test method does. */
    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        proceedTraced(invocation, context);
    }

    private static void proceedTraced(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Run run = run(context);
        if (run == null) {
            invocation.proceed();
            return;
        }
        try (TraceScopes.Scope scope = traceScopes(context).open(run.trace())) {
            invocation.proceed();
        }
    }

    /**
     * On a thread of its own: the test method, on a thread the host lent, passed its deadline and did not stop when
     * interrupted. The run ends here as the lifecycle would end it (webhooks closed, cleanups run, one report), and
     * the lent thread is left to the test; when it returns, the lifecycle finds nothing left to do.
     */
    private static void abandoned(ExtensionContext context, Run run, RunThreads.TimedOut timedOut,
            PerpetualHost host, Thread thread) {
        Throwable failure = withErrors(run, timeout(run, timedOut));
        closeWebhooks(context);
        run.runCleanups();
        run.end();
        if (run.claimReport()) {
            RunWebhooks webhooks = webhooks(context);
            host.runAbandoned(RunReporter.reportOf(context.getUniqueId(), run, webhooks, Optional.of(failure),
                    outcomeRules(context).of(failure), true), thread);
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        finishTest(context, run(context));
    }

    /**
     * Closes the run's webhook expectations and runs its cleanups, once. A cleanup's failure fails the run, or is
     * attached to the failure the run already has.
     */
    private static void finishTest(ExtensionContext context, Run run) {
        closeWebhooks(context);
        List<Throwable> failures = run.runCleanups();
        if (failures.isEmpty()) {
            return;
        }
        AssertionFailedError failure = new AssertionFailedError(failures.size() == 1
                ? "cleanup failed: " + failures.get(0)
                : failures.size() + " cleanups failed; the first: " + failures.get(0));
        failures.forEach(failure::addSuppressed);
        Optional<Throwable> already = context.getExecutionException();
        if (already.isPresent()) {
            already.get().addSuppressed(failure);
        }
        else {
            throw failure;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Run run = context.getStore(NAMESPACE).get(RUN, Run.class);
        if (run == null) {
            return;
        }
        RuntimeException cleanupFailure = null;
        try {
            finishTest(context, run); // nothing left to do, unless a @BeforeEach failed before the test method ran
        }
        catch (RuntimeException e) {
            cleanupFailure = e;
        }
        run.end();
        if (cleanupFailure != null) {
            throw cleanupFailure;
        }
        if (!run.claimReport()) {
            return; // reported when its thread was abandoned
        }
        RunWebhooks webhooks = webhooks(context);
        new RunReporter(context, host(context), meters(context), outcomeRules(context), reportStdout(context))
                .report(run, webhooks, runThreads(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        Requirements.check();
        Class<?> type = parameterContext.getParameter().getType();
        return type == O.class || type == WebhookWaiter.class || type == Config.class
                || (type != Object.class && context.getTestClass()
                        .flatMap(testClass -> sharedFixtures(context).factoryFor(testClass, type)).isPresent());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == Config.class) {
            java.lang.reflect.Executable user = parameterContext.getDeclaringExecutable();
            return new JUnitConfig(user.getDeclaringClass().getSimpleName() + "." + user.getName(),
                    context::getConfigurationParameter);
        }
        if (type != O.class && type != WebhookWaiter.class) {
            SharedFixtures shared = sharedFixtures(context);
            return shared.product(context, shared.factoryFor(context.getRequiredTestClass(), type).orElseThrow());
        }
        Run run = context.getTestMethod().isPresent() ? context.getStore(NAMESPACE).get(RUN, Run.class) : null;
        if (run == null) {
            throw new ParameterResolutionException(String.format("%s is only available in @Perpetual test methods "
                    + "and their @BeforeEach and @AfterEach methods, not in [%s]. Move the parameter there.",
                    type.getSimpleName(), parameterContext.getDeclaringExecutable()));
        }
        if (type == O.class) {
            return run;
        }
        TestMeters meters = meters(context);
        WebhookReceiver receiver = session(context, WebhookReceiver.class,
                () -> WebhookReceiver.start(context::getConfigurationParameter, host(context), meters.session()));
        return StoreValues.computeIfAbsent(context.getStore(NAMESPACE), WEBHOOKS,
                () -> receiver.openRun(run.name(), run.runId(), run.deadline(), run.metrics(), run.trace()),
                RunWebhooks.class);
    }

    /**
     * How long past the deadline the test may take to end by itself. Waits bounded by the deadline (webhooks,
     * {@code O.await()}) end exactly at it; the grace lets their own, more telling failure win over the timeout.
     */
    private static long grace(long timeoutNanos) {
        return Math.max(10_000_000L, Math.min(250_000_000L, timeoutNanos / 10));
    }

    private static Throwable timeout(Run run, RunThreads.TimedOut timedOut) {
        String message = String.format("%s timed out after %s", run.name(), Durations.format(run.test().timeout()));
        if (timedOut.threadStillRunning) {
            message += "; its thread did not stop when interrupted and is abandoned";
        }
        return new RunTimedOutException(message, timedOut.threadStack);
    }

    private static Throwable withErrors(Run run, Throwable timeout) {
        Throwable errors = run.failureAfter(null);
        if (errors != null) {
            timeout.addSuppressed(errors);
        }
        return timeout;
    }

    private static void closeWebhooks(ExtensionContext context) {
        RunWebhooks webhooks = webhooks(context);
        if (webhooks != null) {
            webhooks.close();
        }
    }

    private static RunWebhooks webhooks(ExtensionContext context) {
        return StoreValues.get(context.getStore(NAMESPACE), WEBHOOKS, RunWebhooks.class);
    }

    private static Run run(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(RUN, Run.class);
    }

    private static RunThreads runThreads(ExtensionContext context) {
        TestMeters meters = meters(context);
        return session(context, RunThreads.class, () -> {
            RunThreads threads = new RunThreads();
            Gauge.builder("perpetual.threads.stuck", threads, RunThreads::stuck)
                    .description("Test threads that passed their deadline and have not returned")
                    .register(meters.session());
            return threads;
        });
    }

    private static SharedFixtures sharedFixtures(ExtensionContext context) {
        return session(context, SharedFixtures.class, SharedFixtures::new);
    }

    private static TestMeters meters(ExtensionContext context) {
        return session(context, TestMeters.class, () -> new TestMeters(host(context)));
    }

    static Optional<PerpetualHost> host(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(StoreScope.LAUNCHER_SESSION, HOST_NAMESPACE)
                .get(PerpetualHost.KEY, PerpetualHost.class));
    }

    private static <T> T session(ExtensionContext context, Class<T> type, java.util.function.Supplier<T> create) {
        Store store = context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE);
        return StoreValues.computeIfAbsent(store, type, create, type);
    }

    /** A failing {@code @BeforeEach} says where it failed: {@code in @BeforeEach registerOwner: …}. */
    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw LifecycleFailure.named(org.junit.jupiter.api.BeforeEach.class, context.getRequiredTestClass(),
                throwable);
    }

    /** A failing {@code @AfterEach} says where it failed: {@code in @AfterEach logOut: …}. */
    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw LifecycleFailure.named(org.junit.jupiter.api.AfterEach.class, context.getRequiredTestClass(),
                throwable);
    }

    /** {@code perpetual.outcome.*}, read once per session. */
    private static OutcomeRules outcomeRules(ExtensionContext context) {
        return session(context, OutcomeRules.class, () -> OutcomeRules.from(context::getConfigurationParameter));
    }

    /** OpenTelemetry's context when its API is on the class path, found once per session. */
    private static TraceScopes traceScopes(ExtensionContext context) {
        return session(context, TraceScopes.class, TraceScopes::detect);
    }

    /** {@code perpetual.tenancy}, read once per session. */
    private static Tenancy tenancy(ExtensionContext context) {
        return session(context, Tenancy.class, () -> Tenancy.from(context::getConfigurationParameter));
    }

    /** {@code perpetual.report.stdout}, read once per session. */
    private static boolean reportStdout(ExtensionContext context) {
        return session(context, ReportStdout.class, () -> new ReportStdout(
                Booleans.read(context::getConfigurationParameter, dev.perpetual.Constants.REPORT_STDOUT, true)))
                .enabled();
    }

    /** The session's {@code perpetual.report.stdout}, under its own type in the store. */
    private record ReportStdout(boolean enabled) {
    }

    private static LogLimits logLimits(ExtensionContext context) {
        return session(context, LogLimits.class, () -> LogLimits.read(context::getConfigurationParameter));
    }

}

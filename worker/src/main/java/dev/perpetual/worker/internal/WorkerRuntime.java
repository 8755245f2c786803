package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.worker.internal.reuse.WorkerSession;
import org.apiguardian.api.API;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;

/**
 * A worker's part that does not care where it runs: one launcher session with the worker's host in its store, the
 * executor, and the answers to the supervisor's messages. {@link WorkerMain} runs it in a worker JVM; the daemon's
 * {@code perpetual.isolation=in-process} runs it inside the supervisor, unprotected.
 */
@API(status = INTERNAL, since = "0.1")
public final class WorkerRuntime implements AutoCloseable {

    private final Consumer<Message> out;
    private final LauncherSession session;
    private final WorkerSession launcher;
    private final RunExecutor executor;
    private final WorkerHost host;
    private final ClassLoader testClassLoader;
    private final Map<Thread, Message.Stuck> stuck = new ConcurrentHashMap<>();
    private final Map<String, RunTarget> targets = new ConcurrentHashMap<>();
    private volatile LauncherDiscoveryRequest request;

    /**
     * A runtime inside the supervisor: {@code out} is where messages to the supervisor go, from any thread; webhooks
     * are served by the extension on the JDK's server.
     */
    public WorkerRuntime(Consumer<Message> out, ClassLoader testClassLoader) {
        this(out, testClassLoader, RunOutput.NONE, ConnectTargets.NONE, false, System.err::println);
    }

    /**
     * {@code ownWebhookServer}: the webhook port is the worker's own {@link WebhookServer} (the kit has Netty);
     * {@code targets}: where runs connect, for the messages of failed connections; {@code console}: the worker's
     * notes to whoever reads its standard error (why discovery is not reused).
     */
    WorkerRuntime(Consumer<Message> out, ClassLoader testClassLoader, RunOutput output, ConnectTargets targets,
            boolean ownWebhookServer, Consumer<String> console) {
        this.out = out;
        this.testClassLoader = testClassLoader;
        // The engines LauncherFactory.openSession() would find: through the constructing thread's context loader.
        ClassLoader engines = Thread.currentThread().getContextClassLoader();
        this.launcher = WorkerSession.open(engines != null ? engines : WorkerRuntime.class.getClassLoader(), console);
        this.session = launcher.session();
        this.executor = new RunExecutor(session.getLauncher(), new StuckThreads() {
            @Override
            public void abandoned(String test, Thread thread) {
                // The tree of descriptors the stuck run holds is never lent to another run.
                launcher.reuse().ifPresent(reuse -> reuse.discard(thread));
                Message.Stuck message = new Message.Stuck(test, thread.getId(), thread.getName(), true,
                        RunExecutor.micros(Instant.now()));
                stuck.put(thread, message);
                out.accept(message);
            }

            @Override
            public void returned(String test, Thread thread) {
                Message.Stuck was = stuck.remove(thread);
                if (was != null) {
                    out.accept(new Message.Stuck(test, was.thread(), was.threadName(), false, was.sinceMicros()));
                }
            }
        }, output, targets, testClassLoader);
        this.host = new WorkerHost(executor, out, ownWebhookServer);
        session.getStore().put(Namespace.create(PerpetualHost.NAMESPACE), PerpetualHost.KEY, host);
    }

    /** Acts on one message from the supervisor; {@link Message.Stop} is the caller's to act on. */
    public void handle(Message message) {
        if (message instanceof Message.Run run) {
            long received = System.nanoTime();
            executor.start(run.id(), target(run), received, run.runId(),
                    data -> out.accept(new Message.Recorded(run.id(), data)));
        }
        else if (message instanceof Message.Expected expected) {
            host.answered(expected.id(), expected);
        }
        else if (message instanceof Message.Routed routed) {
            host.answered(routed.id(), routed);
        }
        else if (message instanceof Message.Deliver delivery) {
            host.deliver(delivery);
        }
        else if (message instanceof Message.Init init) {
            if (init.sharedWebhooks()) {
                host.shareWebhooks();
            }
            // Discovery loads the selected classes through the context loader: the user's, also inside the
            // supervisor (perpetual.isolation=in-process), whose own loader does not see them.
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(testClassLoader);
            try {
                WorkerDiscovery.Problems problems = new WorkerDiscovery.Problems();
                request = WorkerDiscovery.request(init.selection(), init.defaults(), problems,
                        launcher.jupiterEngineId());
                if (init.discover()) {
                    out.accept(WorkerDiscovery.discover(session.getLauncher(), request, problems,
                            init.selection().tests()));
                }
            }
            finally {
                thread.setContextClassLoader(before);
            }
        }
        else if (message instanceof Message.Abort abort) {
            executor.abort(abort.id(), abort.why());
        }
        else if (message instanceof Message.StopRetrying) {
            executor.stopRetrying();
        }
    }

    private RunTarget target(Message.Run run) {
        return targets.computeIfAbsent(run.uniqueId(), id -> new RunTarget(run.test(), run.testClass(), id,
                Duration.ofNanos(run.timeoutNanos()), run.retries(),
                SetUpAllowance.of(request.getConfigurationParameters()::get),
                WorkerDiscovery.runRequest(id, request.getConfigurationParameters(), launcher.jupiterEngineId())));
    }

    /** How the worker is doing: its heap after the last collection, open files, threads, and the tests' meters. */
    /** The test whose run {@code thread} carries, if any: who to blame for what that thread does. */
    public Optional<String> testOn(Thread thread) {
        return executor.testOn(thread);
    }

    private volatile boolean filesCounted;

    public Message.Health health() {
        long afterGc = -1;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (usage != null) {
                afterGc = Math.max(0, afterGc) + usage.getUsed();
            }
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        boolean unix = os instanceof com.sun.management.UnixOperatingSystemMXBean;
        long files = unix ? ((com.sun.management.UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount() : -1;
        long maxFiles = unix ? ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount() : -1;
        if (files >= 0) {
            filesCounted = true;
        }
        else if (filesCounted && maxFiles > 0) {
            files = maxFiles; // counting worked before and fails now: no descriptor is left to list them with
        }
        return new Message.Health(afterGc, Runtime.getRuntime().maxMemory(), files, maxFiles,
                ManagementFactory.getThreadMXBean().getThreadCount(), meters());
    }

    /** The tests' meters, cumulative. */
    public List<Message.MeterData> meters() {
        return MeterSnapshots.of(host.registry());
    }

    /** Threads abandoned past their deadline that have not returned. */
    int stuckThreads() {
        return stuck.size();
    }

    /** Runs started and not yet recorded. */
    int running() {
        return executor.running();
    }

    /** Records every run still going as {@code aborted}, with {@code why}. */
    void abortRunning(String why) {
        executor.abortRunning(why);
    }

    /**
     * Closes the session (the resources the tests share: webhook receiver, browsers), the webhook port and the
     * executor.
     */
    @Override
    public void close() {
        try {
            session.close();
        }
        finally {
            try {
                host.close();
            }
            finally {
                executor.close();
            }
        }
    }
}

package dev.perpetual.worker.internal.reuse;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

import org.apiguardian.api.API;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The worker's launcher session: the Launcher as {@code LauncherFactory.openSession()} makes it (every engine,
 * listener, session listener and post-discovery filter the class path registers, the configuration), with Jupiter
 * behind a {@link ReusingJupiterEngine} when its version and internals are the ones reuse was checked against.
 *
 * @param session the session, open
 * @param jupiterEngineId the id the worker's engine filters name: {@value ReusingJupiterEngine#ID} or {@code
 *                        junit-jupiter}
 * @param reuse           the reusing engine, when the session has one
 */
@API(status = INTERNAL, since = "0.3")
public record WorkerSession(LauncherSession session, String jupiterEngineId, Optional<ReusingJupiterEngine> reuse) {

    /**
     * Opens the session with the engines {@code loader} registers; {@code log} gets, once each, why discovery is not
     * reused.
     */
    public static WorkerSession open(ClassLoader loader, Consumer<String> log) {
        return open(loader, log, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** As {@link #open(ClassLoader, Consumer)}, with at most {@code treesPerClass} trees of one class at once. */
    static WorkerSession open(ClassLoader loader, Consumer<String> log, int treesPerClass) {
        List<TestEngine> others = new ArrayList<>();
        TestEngine jupiter = null;
        try {
            for (TestEngine engine : ServiceLoader.load(TestEngine.class, loader)) {
                if (engine.getId().equals("junit-jupiter") && jupiter == null) {
                    jupiter = engine;
                }
                else {
                    others.add(engine);
                }
            }
        }
        catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            log.accept("perpetual worker: discovery not reused, the test engines could not be listed (" + e + ").");
            return plain();
        }
        if (jupiter == null) {
            return plain();
        }
        Optional<ReusingJupiterEngine> reuse = ReusingJupiterEngine.around(jupiter, log,
                why -> log.accept("perpetual worker: discovery not reused, " + why + "."), treesPerClass);
        if (reuse.isEmpty()) {
            return plain();
        }
        others.add(0, reuse.get());
        LauncherConfig config = LauncherConfig.builder()
                .enableTestEngineAutoRegistration(false)
                .addTestEngines(others.toArray(TestEngine[]::new))
                .build();
        return new WorkerSession(LauncherFactory.openSession(config), ReusingJupiterEngine.ID, reuse);
    }

    private static WorkerSession plain() {
        return new WorkerSession(LauncherFactory.openSession(), "junit-jupiter", Optional.empty());
    }
}

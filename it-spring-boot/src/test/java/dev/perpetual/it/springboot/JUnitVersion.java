package dev.perpetual.it.springboot;

import dev.perpetual.O;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestEngine;

/** Which JUnit a probe runs on, as its jars' manifests say: logged by every probe, so a run's log shows it. */
final class JUnitVersion {

    private JUnitVersion() {
    }

    static void log(O o) {
        o.log("JUnit Jupiter %s, JUnit Platform %s", Test.class.getPackage().getImplementationVersion(),
                TestEngine.class.getPackage().getImplementationVersion());
    }
}

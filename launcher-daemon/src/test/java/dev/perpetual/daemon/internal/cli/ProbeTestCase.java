package dev.perpetual.daemon.internal.cli;

import dev.perpetual.O;
import dev.perpetual.Perpetual;

/** A probe that checks every 50ms, counting and logging each check: for the tests of a whole {@link TestDaemon}. */
public class ProbeTestCase {
    @Perpetual(period = "50ms", timeout = "1s")
    void probe(O o) {
        o.metrics().counter("perpetual.probe.checks").increment();
        o.log("checked");
    }
}

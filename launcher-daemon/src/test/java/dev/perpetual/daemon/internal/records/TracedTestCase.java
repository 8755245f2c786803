package dev.perpetual.daemon.internal.records;

import dev.perpetual.O;
import dev.perpetual.Perpetual;

/** Two probes with steps, one failing, for {@link TraceExportTest}. */
public class TracedTestCase {

    @Perpetual(period = "100ms", timeout = "5s")
    void orders(O o) {
        o.step("log in", () -> { });
        o.step("order", () -> o.step("pay", () -> { }));
    }

    @Perpetual(period = "100ms", timeout = "5s")
    void refunds(O o) {
        o.step("refund", () -> o.fail("refund %s was not credited", "r-7"));
    }
}

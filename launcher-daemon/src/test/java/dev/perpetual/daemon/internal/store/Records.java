package dev.perpetual.daemon.internal.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;

/** Run records for the store's tests. */
final class Records {

    private Records() {
    }

    /** A record with every field set, times to the microsecond (what the store keeps). */
    static RunRecord full(String test, String runId, Instant start) {
        return new RunRecord(test, "com.acme.CheckoutE2E", runId, start.minusMillis(3), start,
                Duration.ofNanos(12_345_678), Outcome.FAIL, 2, "expected: <200> but was: <500>",
                "org.opentest4j.AssertionFailedError: expected\n\tat com.acme.CheckoutE2E.confirm(CheckoutE2E.java:12)",
                List.of("placing order k-42", "waiting for the webhook — ünïcödé"), 3,
                List.of(new RunReport.Step("place order", start.plusMillis(1), Duration.ofMillis(4), Outcome.PASS,
                                "1111111111111111", "00f067aa0ba902b7"),
                        new RunReport.Step("confirm", start.plusMillis(5), Duration.ofMillis(7), Outcome.FAIL,
                                "2222222222222222", "00f067aa0ba902b7")),
                List.of(new RunReport.Webhook("orders", "k-42", 2, Optional.of(Duration.ofNanos(3_500_000))),
                        new RunReport.Webhook("mail", "k-43", 0, Optional.empty())),
                true, "stdout line\n", "/var/perpetual/artifacts/run-1", "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7");
    }

    static RunRecord of(String test, String runId, Instant start, Outcome outcome, Duration duration) {
        return new RunRecord(test, "com.acme.CheckoutE2E", runId, null, start, duration, outcome, 1, null, null,
                List.of(), 0, List.of(), List.of(), false, null, null, null, null);
    }
}

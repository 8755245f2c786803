package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** What the daemon does when a test's tick finds its previous run still going. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Overlap {

    /** Skip the tick and count it in {@code perpetual_run_skipped_total{reason="overlap"}}. The default. */
    SKIP,

    /** Start another run anyway, bounded by {@code perpetual.daemon.max-concurrent-runs}. */
    ALLOW
}

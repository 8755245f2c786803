package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;

import dev.perpetual.spi.Outcome;
import org.apiguardian.api.API;

/**
 * Which runs of a test {@code /api/tests/{name}/runs} asks for, newest first.
 *
 * @param limit   at most this many
 * @param before  only runs that started before this instant, or null for the newest
 * @param outcome only runs that ended so, or null for all
 */
@API(status = INTERNAL, since = "0.1")
public record RunQuery(int limit, Instant before, Outcome outcome) {

    public static final int LIMIT_DEFAULT = 100;
    public static final int LIMIT_MAX = 1000;

    /** Whether {@code record} is one this query selects (limit aside). */
    public boolean selects(RunRecord record) {
        return (before == null || record.start().isBefore(before))
                && (outcome == null || record.outcome() == outcome);
    }

    /** The same query, for one more run: whether a next page exists. */
    public RunQuery oneMore() {
        return new RunQuery(limit + 1, before, outcome);
    }
}

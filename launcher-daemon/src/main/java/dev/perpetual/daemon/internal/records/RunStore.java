package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apiguardian.api.API;

/**
 * Where run records are kept beyond the daemon's memory, chosen by {@code perpetual.history.url}: nowhere
 * ({@link #MEMORY}), or a database ({@code dev.perpetual.daemon.internal.store}). Adding never blocks the run that
 * made the record; reading may fail while the database is unreachable ({@link RuntimeException}).
 */
@API(status = INTERNAL, since = "0.1")
public interface RunStore extends AutoCloseable {

    /** {@code memory}: nothing kept beyond each test's {@link RunHistory}. */
    RunStore MEMORY = new RunStore() {
        @Override
        public boolean durable() {
            return false;
        }

        @Override
        public void add(RunRecord record) {
        }

        @Override
        public List<RunRecord> runs(String test, RunQuery query) {
            return List.of();
        }

        @Override
        public Optional<RunRecord> find(String test, String runId) {
            return Optional.empty();
        }

        @Override
        public Map<String, Instant> lastStarts() {
            return Map.of();
        }

        @Override
        public void restore(Rollups rollups, Instant since) {
        }

        @Override
        public boolean follow(Consumer<RunRecord> others) {
            return false;
        }

        @Override
        public Optional<String> degraded() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };

    /** Whether records outlive the process: then reads come from here, not from memory. */
    boolean durable();

    /** Takes {@code record} to be kept, in order; returns at once, whatever the database does. */
    void add(RunRecord record);

    /** The kept runs of {@code test} that {@code query} selects, newest first. */
    List<RunRecord> runs(String test, RunQuery query);

    Optional<RunRecord> find(String test, String runId);

    /** The start of each test's last kept run, by test name: where a restarted schedule picks up. */
    Map<String, Instant> lastStarts();

    /** Puts the kept hourly rollups from {@code since} on into {@code rollups}. */
    void restore(Rollups rollups, Instant since);

    /**
     * From now on hands each run another replica of the fleet writes into this store to {@code others}, once, off
     * the caller's thread; says whether it will (only a shared store, of a daemon with a {@code perpetual.location}).
     */
    boolean follow(Consumer<RunRecord> others);

    /** What is wrong with the store (unreachable, records queued or dropped), or empty when it is healthy. */
    Optional<String> degraded();

    /** Writes what is queued (within a bound) and lets go of the database. */
    @Override
    void close();
}

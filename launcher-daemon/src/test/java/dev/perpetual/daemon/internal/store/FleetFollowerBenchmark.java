package dev.perpetual.daemon.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.perpetual.daemon.testing.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet follower's poll, run on purpose (tagged {@code benchmark}):
 * <pre>
 * ./mvnw -B -o -Pbenchmarks verify -pl launcher-daemon -am -Dtest=FleetFollowerBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=NoSuchIT -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * Another replica writes {@value #RATE} full runs/s (message, stack, log lines, steps, webhooks) for
 * {@value #SECONDS} s; every 2 s this replica polls as {@link FleetFollower} does (keys of the overlap, then the new
 * rows in full) and, at the same moment, as the follower did before (every row of the overlap in full), alternating
 * which goes first. Once the overlap is full (after 12 s): each poll's time, and rows read in full per run handed on.
 */
@Tag("benchmark")
class FleetFollowerBenchmark {

    private static final int RATE = 500;
    private static final int SECONDS = 40;

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @TempDir
    Path folder;

    @Test
    void pollsWhileAnotherReplicaWritesFiveHundredRunsASecond() throws Exception {
        System.out.printf("%n%-11s %6s %10s %9s %15s %15s %7s %14s %14s%n", "store", "polls", "overlap", "new",
                "former p50/max", "keys p50/max", "ratio", "former reads", "keys reads");
        for (String kind : List.of("postgresql", "sqlite", "postgresql", "sqlite")) {
            measure(kind);
        }
    }

    private void measure(String kind) throws Exception {
        String url = kind.equals("sqlite") ? "jdbc:sqlite:" + folder.resolve("fleet-" + System.nanoTime() + ".db")
                : postgres.url();
        StoreSettings settings = new StoreSettings(url, PostgresServer.USER, null, 10_000_000, Duration.ofDays(30),
                Duration.ofDays(400));
        JdbcStore us = JdbcStore.open(settings, "us-east", new SimpleMeterRegistry(), warning -> { }, 1_000_000);
        JdbcStore eu = JdbcStore.open(settings, "eu-west", new SimpleMeterRegistry(), warning -> { }, 1_000);
        RunRows rows = new RunRows("eu-west", kind.equals("postgresql"));
        AtomicLong handedOn = new AtomicLong();
        try (Connection connection = eu.connection()) {
            eu.followOnce(record -> { });
            long formerCursor;
            try (Statement now = connection.createStatement(); ResultSet clock = now.executeQuery("SELECT "
                    + rows.clock())) {
                clock.next();
                formerCursor = clock.getLong(1);
            }
            List<Long> former = new ArrayList<>();
            List<Long> keys = new ArrayList<>();
            List<Integer> overlaps = new ArrayList<>();
            List<Long> fresh = new ArrayList<>();
            long formerRead = 0;
            long keysReadBefore = 0;
            long handedBefore = 0;
            Instant base = Instant.now();
            long start = System.nanoTime();
            long nextPoll = start + 2_000_000_000L;
            int written = 0;
            for (int poll = 0; System.nanoTime() - start < SECONDS * 1_000_000_000L; ) {
                long due = (System.nanoTime() - start) * RATE / 1_000_000_000L;
                while (written < due) {
                    us.add(Records.full("Checkout.t" + written % 100, "r" + written, base.plusMillis(written)));
                    written++;
                }
                if (System.nanoTime() < nextPoll) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                nextPoll += 2_000_000_000L;
                boolean measured = System.nanoTime() - start >= 12_000_000_000L;
                if (measured && former.isEmpty()) {
                    keysReadBefore = eu.followedInFull();
                    handedBefore = handedOn.get();
                }
                long[] formerPoll = new long[3];
                long keysNanos = 0;
                for (int turn = 0; turn < 2; turn++) {
                    if ((poll + turn) % 2 == 0) {
                        formerPoll = formerPoll(connection, rows, formerCursor);
                        formerCursor = formerPoll[2];
                    }
                    else {
                        long t0 = System.nanoTime();
                        long before = handedOn.get();
                        eu.followOnce(record -> handedOn.incrementAndGet());
                        keysNanos = System.nanoTime() - t0;
                        if (measured) {
                            fresh.add(handedOn.get() - before);
                        }
                    }
                }
                poll++;
                if (measured) {
                    former.add(formerPoll[0]);
                    overlaps.add((int) formerPoll[1]);
                    formerRead += formerPoll[1];
                    keys.add(keysNanos);
                }
            }
            long handed = handedOn.get() - handedBefore;
            System.out.printf(Locale.ROOT, "%-11s %6d %10d %9d %7.1f/%5.1f ms %7.1f/%5.1f ms %7.2f %14.2f %14.2f%n",
                    kind, former.size(), median(overlaps), median(fresh), median(former) / 1e6,
                    Collections.max(former) / 1e6, median(keys) / 1e6, Collections.max(keys) / 1e6,
                    (double) median(former) / median(keys), (double) formerRead / handed,
                    (double) (eu.followedInFull() - keysReadBefore) / handed);
        }
        finally {
            eu.close();
            us.close();
            if (kind.equals("postgresql")) {
                postgres.dropTables();
            }
        }
    }

    /**
     * The former poll: every row of the overlap in full (at {@value #RATE} runs/s within its limit of 10,000). Its
     * time, the rows read, and the new cursor (found after the time is taken).
     */
    private static long[] formerPoll(Connection connection, RunRows rows, long cursor) throws Exception {
        long t0 = System.nanoTime();
        long read = 0;
        long newest = cursor;
        try (PreparedStatement select = connection.prepareStatement("SELECT " + RunRows.COLUMNS + ", stored_us "
                + "FROM perpetual_runs WHERE stored_us > ? AND location IS NOT NULL AND location <> ? "
                + "ORDER BY stored_us LIMIT 10000")) {
            select.setLong(1, cursor - FleetFollower.OVERLAP_SECONDS * 1_000_000);
            select.setString(2, "eu-west");
            try (ResultSet found = select.executeQuery()) {
                read = rows.read(found).size();
            }
        }
        long nanos = System.nanoTime() - t0;
        try (PreparedStatement newestStored = connection.prepareStatement("SELECT MAX(stored_us) FROM "
                + "perpetual_runs WHERE stored_us > ?")) {
            newestStored.setLong(1, cursor - FleetFollower.OVERLAP_SECONDS * 1_000_000);
            try (ResultSet found = newestStored.executeQuery()) {
                if (found.next() && found.getLong(1) > 0) {
                    newest = Math.max(cursor, found.getLong(1));
                }
            }
        }
        return new long[] { nanos, read, newest };
    }

    private static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

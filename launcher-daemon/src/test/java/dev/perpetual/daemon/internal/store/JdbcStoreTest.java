package dev.perpetual.daemon.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.perpetual.daemon.internal.records.Rollups;
import dev.perpetual.daemon.internal.records.RunQuery;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.daemon.internal.records.Views;
import dev.perpetual.daemon.testing.PostgresServer;
import dev.perpetual.spi.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The run store on a real SQLite file and a real PostgreSQL server: the same behaviour on both. */
class JdbcStoreTest {

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @TempDir
    static Path folder;

    private static int databases;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<JdbcStore> opened = new ArrayList<>();

    static Stream<String> databases() {
        return Stream.of("sqlite", "postgresql");
    }

    @AfterEach
    void closeStores() throws SQLException {
        opened.forEach(JdbcStore::close);
        postgres.dropTables();
    }

    private JdbcStore open(String database) {
        return open(database, 10_000, Duration.ofDays(30));
    }

    private JdbcStore open(String database, int maxRuns, Duration maxAge) {
        String url = database.equals("sqlite") ? "jdbc:sqlite:" + folder.resolve("history-" + ++databases + ".db")
                : postgres.url();
        return open(new StoreSettings(url, PostgresServer.USER, null, maxRuns, maxAge, Duration.ofDays(400)));
    }

    private JdbcStore open(StoreSettings settings) {
        return open(settings, "eu-west");
    }

    private JdbcStore open(StoreSettings settings, String location) {
        JdbcStore store = JdbcStore.open(settings, location, new SimpleMeterRegistry(), warnings::add, 1000);
        opened.add(store);
        return store;
    }

    private static void written(JdbcStore store) {
        await().atMost(Duration.ofSeconds(20)).until(() -> store.queued() == 0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void keepsEverythingARecordHoldsAndReadsItBack(String database) {
        JdbcStore store = open(database);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RunRecord full = Records.full("CheckoutE2E.confirm", "r-1", start).at("us-east");
        RunRecord bare = Records.of("CheckoutE2E.confirm", "r-2", start.plusSeconds(1), Outcome.ABORTED,
                Duration.ZERO);
        store.add(full);
        store.add(bare);
        written(store);

        assertThat(store.find("CheckoutE2E.confirm", "r-1")).contains(full);
        assertThat(store.runs("CheckoutE2E.confirm", new RunQuery(10, null, null)))
                .containsExactly(bare.at("eu-west"), full); // a record of no location is the store's daemon's
        assertThat(store.lastStarts()).isEqualTo(Map.of("CheckoutE2E.confirm", start.plusSeconds(1)));
        assertThat(store.degraded()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void selectsRunsByLimitBeforeAndOutcomeNewestFirst(String database) {
        JdbcStore store = open(database);
        Instant base = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < 10; i++) {
            store.add(Records.of("T", "r-" + i, base.plusSeconds(i), i % 3 == 0 ? Outcome.FAIL : Outcome.PASS,
                    Duration.ofMillis(10)));
        }
        store.add(Records.of("Other", "o-1", base.plusSeconds(20), Outcome.PASS, Duration.ofMillis(10)));
        written(store);

        assertThat(ids(store.runs("T", new RunQuery(3, null, null)))).containsExactly("r-9", "r-8", "r-7");
        assertThat(ids(store.runs("T", new RunQuery(3, base.plusSeconds(7), null))))
                .containsExactly("r-6", "r-5", "r-4");
        assertThat(ids(store.runs("T", new RunQuery(10, null, Outcome.FAIL))))
                .containsExactly("r-9", "r-6", "r-3", "r-0");
        assertThat(ids(store.runs("T", new RunQuery(10, base.plusSeconds(6), Outcome.FAIL))))
                .containsExactly("r-3", "r-0");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void prunesRunsBeyondMaxRunsAndOlderThanMaxAge(String database) throws SQLException {
        JdbcStore store = open(database, 5, Duration.ofDays(1));
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        store.add(Records.of("Old", "old-1", now.minus(Duration.ofDays(2)), Outcome.PASS, Duration.ofMillis(1)));
        for (int i = 0; i < 8; i++) {
            store.add(Records.of("T", "r-" + i, now.minusSeconds(60 - i), Outcome.PASS, Duration.ofMillis(1)));
        }
        written(store);

        assertThat(store.prune(now)).isEqualTo(4);
        assertThat(ids(store.runs("T", new RunQuery(100, null, null))))
                .containsExactly("r-7", "r-6", "r-5", "r-4", "r-3");
        assertThat(store.runs("Old", new RunQuery(100, null, null))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void rollsRunsUpByHourForUptimeAndTheLatencyTrend(String database) {
        JdbcStore store = open(database);
        Instant now = Instant.now();
        Instant hourAgo = now.minus(Duration.ofHours(1));
        store.add(Records.of("T", "a", hourAgo, Outcome.PASS, Duration.ofMillis(100)));
        store.add(Records.of("T", "b", hourAgo.plusMillis(1), Outcome.FLAKY, Duration.ofMillis(100)));
        store.add(Records.of("T", "c", hourAgo.plusMillis(2), Outcome.FAIL, Duration.ofMillis(400)));
        store.add(Records.of("T", "d", hourAgo.plusMillis(3), Outcome.ABORTED, Duration.ofMillis(1)));
        store.add(Records.of("T", "e", now.minus(Duration.ofDays(3)), Outcome.TIMEOUT, Duration.ofMillis(2000)));
        written(store);

        Rollups rollups = new Rollups();
        store.restore(rollups, now.minus(Duration.ofDays(31)));
        Views.Uptime uptime = rollups.uptime("T", now);
        assertThat(uptime.day()).isEqualTo(new Views.Window(3, 2, 1, 2 / 3.0));
        assertThat(uptime.week()).isEqualTo(new Views.Window(4, 2, 1, 0.5));
        assertThat(uptime.p50ByHour()).singleElement().satisfies(hour -> {
            assertThat(hour.hour()).isEqualTo(Instant.ofEpochSecond(Rollups.hour(hourAgo)).toString());
            assertThat(hour.p50Ms()).isBetween(95.0, 105.0);
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void createsItsSchemaOnceWithAVersionTableAndRefusesANewerOne(String database) throws SQLException {
        JdbcStore first = open(database);
        first.add(Records.of("T", "r-1", Instant.now(), Outcome.PASS, Duration.ofMillis(1)));
        written(first);
        StoreSettings settings = first.settings();
        first.close();
        JdbcStore again = open(settings);
        assertThat(again.runs("T", new RunQuery(10, null, null))).hasSize(1);
        try (Connection connection = again.connection(); Statement statement = connection.createStatement()) {
            List<Integer> applied = new ArrayList<>();
            try (ResultSet versions = statement.executeQuery("SELECT version FROM perpetual_schema_version "
                    + "ORDER BY version")) {
                while (versions.next()) {
                    applied.add(versions.getInt(1));
                }
            }
            assertThat(applied).containsExactly(1, 2, 3);
            statement.execute("INSERT INTO perpetual_schema_version (version, applied_us) VALUES (7, 0)");
        }
        again.close();
        open(settings);
        assertThat(warnings).singleElement().asString().isEqualTo("The run store " + settings.url() + " cannot be used "
                + "(The run store's schema is at version 7, newer than this daemon's 3: run a daemon at least as new "
                + "as the one that wrote it.): the daemon starts without its earlier runs, queues new ones and writes "
                + "them when it is back.");
    }

    /** Two replicas of a fleet on one store. */
    private record Replicas(JdbcStore eu, JdbcStore us) {
    }

    private Replicas replicas(String database) {
        StoreSettings shared = open(database).settings();
        return new Replicas(open(shared, "eu-west"), open(shared, "us-east"));
    }

    private static void update(JdbcStore store, String sql) throws SQLException {
        try (Connection connection = store.connection(); Statement update = connection.createStatement()) {
            update.executeUpdate(sql);
        }
    }

    private static List<String> ids(List<RunRecord> records) {
        return records.stream().map(RunRecord::runId).toList();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eachReplicaFollowsTheOthersRunsOnceMarkedWithTheirLocation(String database) throws SQLException {
        Replicas fleet = replicas(database);
        JdbcStore eu = fleet.eu();
        JdbcStore us = fleet.us();
        List<RunRecord> seenByEu = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        assertThat(eu.follow(record -> {
            threads.add(Thread.currentThread().getName());
            seenByEu.add(record);
        })).isTrue();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);

        us.add(Records.of("Checkout.order", "us-1", start, Outcome.FAIL, Duration.ofMillis(40)));
        eu.add(Records.of("Checkout.order", "eu-1", start.plusMillis(1), Outcome.PASS, Duration.ofMillis(30)));
        us.add(Records.of("Checkout.order", "us-2", start.plusMillis(2), Outcome.PASS, Duration.ofMillis(20)));

        await().atMost(Duration.ofSeconds(20)).until(() -> eu.queued() == 0 && us.queued() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> seenByEu.size() == 2);
        eu.followOnce(seenByEu::add); // read again within the overlap: nothing twice
        assertThat(seenByEu).extracting(RunRecord::runId, RunRecord::location, RunRecord::outcome)
                .containsExactly(tuple("us-1", "us-east", Outcome.FAIL),
                        tuple("us-2", "us-east", Outcome.PASS));
        assertThat(eu.find("Checkout.order", "eu-1")).get().extracting(RunRecord::location).isEqualTo("eu-west");
        assertThat(threads).as("followed on a thread of its own, not the pruner's").containsOnly(FleetPolling.THREAD);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplicaReadsEachRunOfTheOthersInFullOnceThoughItStaysInTheOverlap(String database) throws SQLException {
        Replicas fleet = replicas(database);
        JdbcStore eu = fleet.eu();
        JdbcStore us = fleet.us();
        List<RunRecord> seenByEu = new ArrayList<>();
        eu.followOnce(seenByEu::add); // the first poll starts from now
        Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);

        us.add(Records.of("Checkout.order", "us-1", start, Outcome.FAIL, Duration.ofMillis(40)));
        us.add(Records.of("Search.find", "us-2", start.plusMillis(1), Outcome.PASS, Duration.ofMillis(20)));
        written(us);
        eu.followOnce(seenByEu::add);
        eu.followOnce(seenByEu::add);
        us.add(Records.of("Checkout.order", "us-3", start.plusMillis(2), Outcome.PASS, Duration.ofMillis(30)));
        written(us);
        eu.followOnce(seenByEu::add);
        eu.followOnce(seenByEu::add);

        assertThat(ids(seenByEu)).containsExactly("us-1", "us-2", "us-3");
        assertThat(eu.followedInFull()).isEqualTo(3);
        update(us, "UPDATE perpetual_runs SET steps = 'not JSON'");
        eu.followOnce(seenByEu::add); // rows still in the overlap, unreadable now: only their keys are read again
        assertThat(ids(seenByEu)).containsExactly("us-1", "us-2", "us-3");
        assertThat(eu.followedInFull()).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRunStampedBeforeTheLastPollButCommittedAfterItIsStillFollowed(String database) throws SQLException {
        Replicas fleet = replicas(database);
        JdbcStore eu = fleet.eu();
        JdbcStore us = fleet.us();
        List<RunRecord> seenByEu = new ArrayList<>();
        eu.followOnce(seenByEu::add);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
        us.add(Records.of("Checkout.order", "us-1", start, Outcome.PASS, Duration.ofMillis(40)));
        written(us);
        eu.followOnce(seenByEu::add);

        us.add(Records.of("Checkout.order", "us-2", start.plusMillis(1), Outcome.PASS, Duration.ofMillis(40)));
        written(us);
        // as if its transaction took the database's clock 5 s before us-1's and committed after the last poll
        update(us, "UPDATE perpetual_runs SET stored_us = stored_us - 5000000 WHERE run_id = 'us-2'");
        eu.followOnce(seenByEu::add);

        assertThat(ids(seenByEu)).containsExactly("us-1", "us-2");
        assertThat(eu.followedInFull()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplicaWithoutALocationFollowsNothing(String database) {
        JdbcStore unnamed = open(open(database).settings(), null);

        assertThat(unnamed.follow(record -> { })).isFalse();
    }
}

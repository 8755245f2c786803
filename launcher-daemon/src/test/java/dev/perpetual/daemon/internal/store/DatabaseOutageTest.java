package dev.perpetual.daemon.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.testing.PostgresServer;
import dev.perpetual.spi.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL stopped while runs are recorded, then started again: nothing the buffer held is lost. */
class DatabaseOutageTest {

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    private static final Pattern RUN_LINE = Pattern.compile("(?m)^(PASS|FLAKY|FAIL|ERROR|TIMEOUT|ABORTED) +"
            + "ProbeTestCase\\.probe ");

    @AfterEach
    void empty() throws SQLException {
        postgres.start();
        postgres.dropTables();
    }

    @Test
    void everyRunRecordedWhilePostgresqlWasDownIsInTheDatabaseAfterItIsBack() throws Exception {
        String console;
        try (TestDaemon daemon = TestDaemon.scheduling(List.of("--config", "perpetual.history.url=" + postgres.url(),
                "--config", "perpetual.history.user=" + PostgresServer.USER), ProbeTestCase.class)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> postgres.runsStored() >= 3);

            postgres.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> daemon.sample("perpetual_history_queue") >= 20);
            HttpResponse<String> health = daemon.get("/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("ok\ndegraded: the run store has failed since ")
                    .contains(" runs queued, 0 dropped");
            assertThat(daemon.get("/readyz").statusCode()).isEqualTo(200);

            postgres.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> daemon.get("/healthz").body().equals("ok\n"));
            daemon.close(); // writes what is still queued
            console = daemon.console();
        }
        long recorded = RUN_LINE.matcher(console).results().count();
        assertThat(recorded).isGreaterThan(20);
        assertThat(postgres.runsStored()).isEqualTo(recorded);
        assertThat(console).contains("The run store failed (", "The run store is back: writing the ");
    }

    @Test
    void aFullBufferDropsTheNewestRunsCountedAndSaidOnce() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> warnings = new CopyOnWriteArrayList<>();
        postgres.stop();
        JdbcStore store = JdbcStore.open(new StoreSettings(postgres.url(), PostgresServer.USER, null, 10_000,
                Duration.ofDays(30), Duration.ofDays(400)), null, registry, warnings::add, 5);
        try {
            Instant start = Instant.now();
            store.add(Records.of("T", "r-0", start, Outcome.PASS, Duration.ofMillis(1)));
            await().atMost(Duration.ofSeconds(20)).until(() -> store.degraded().isPresent());
            for (int i = 1; i <= 10; i++) {
                store.add(Records.of("T", "r-" + i, start.plusMillis(i), Outcome.PASS, Duration.ofMillis(1)));
            }
            assertThat(registry.scrape()).contains("perpetual_history_dropped_total 5.0",
                    "perpetual_history_queue 6.0");
            assertThat(store.degraded().orElseThrow()).endsWith("6 runs queued, 5 dropped");
            assertThat(warnings).filteredOn(warning -> warning.startsWith("The run store's buffer is full"))
                    .containsExactly("The run store's buffer is full (6 runs): dropping runs until the database "
                            + "is back; perpetual_history_dropped_total counts them.");

            postgres.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> store.queued() == 0);
            assertThat(postgres.runsStored()).isEqualTo(6);
            assertThat(store.degraded()).isEmpty();
        }
        finally {
            store.close();
        }
    }

    @Test
    void aReplicaThatCannotFollowTheFleetSaysSoOnceAndReadsWhatWasWrittenMeanwhileWhenItIsBack() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        StoreSettings shared = new StoreSettings(postgres.url(), PostgresServer.USER, null, 10_000,
                Duration.ofDays(30), Duration.ofDays(400));
        List<String> followed = new CopyOnWriteArrayList<>();
        try (JdbcStore eu = JdbcStore.open(shared, "eu-west", new SimpleMeterRegistry(), warnings::add, 1000);
                JdbcStore us = JdbcStore.open(shared, "us-east", new SimpleMeterRegistry(), record -> { }, 1000)) {
            eu.follow(record -> followed.add(record.runId()));
            Instant start = Instant.now();
            us.add(Records.of("T", "us-1", start, Outcome.PASS, Duration.ofMillis(1)));
            await().atMost(Duration.ofSeconds(20)).until(() -> followed.size() == 1);

            postgres.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> warnings.stream()
                    .anyMatch(warning -> warning.startsWith("The run store cannot be read to follow")));
            us.add(Records.of("T", "us-2", start.plusMillis(1), Outcome.PASS, Duration.ofMillis(1)));
            postgres.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> followed.size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> warnings.size() == 2);
        }
        assertThat(followed).containsExactly("us-1", "us-2");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("The run store cannot be read to follow the fleet's other replicas (")
                .endsWith("): their runs reach /status when it can; this replica keeps running.");
        assertThat(warnings.get(1))
                .isEqualTo("The run store can be read again: the fleet's other replicas' runs are followed.");
    }
}

package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.Secrets;
import org.junit.jupiter.api.Test;

/**
 * The meters tests register in their workers ({@code O.metrics()}) reach {@code /metrics} with the secrets' values
 * replaced by {@code ****}, by the rules of the run records: in tag values and keys, names and descriptions, whether
 * a live worker reports them or an ended one counted them; the {@code test} tag and short values are left alone.
 */
class SecretsInMetersTest {

    static final String TOKEN = "tok-5f2a9c1e";
    static final String PASSWORD = "pw-93be01";
    static final Secrets SECRETS = Secrets.of(Map.of("shop.token", TOKEN, "shop.password", PASSWORD,
            "shop.pin-token", "abc", "shop.url", "https://shop.example/"));

    /** What the live workers report: one list per worker. */
    private List<List<Message.MeterData>> live = List.of();

    @Test
    void aSecretInATagValueIsShownAsStars() {
        live = List.of(List.of(counter("shop.calls", Map.of("test", "Shop.checkout", "token", TOKEN), 3)));

        assertThat(scrape()).contains("shop_calls_total{test=\"Shop.checkout\",token=\"****\"} 3.0")
                .doesNotContain(TOKEN);
    }

    @Test
    void twoMetersThatDifferOnlyBySecretsAreOneSeriesAddedUp() {
        live = List.of(List.of(counter("shop.calls", Map.of("test", "Shop.checkout", "auth", TOKEN), 2)),
                List.of(counter("shop.calls", Map.of("test", "Shop.checkout", "auth", "Bearer " + PASSWORD), 3),
                        counter("shop.calls", Map.of("test", "Shop.checkout", "auth", PASSWORD), 4)));

        assertThat(scrape().lines().filter(line -> line.startsWith("shop_calls_total")))
                .containsExactly("shop_calls_total{auth=\"****\",test=\"Shop.checkout\"} 6.0",
                        "shop_calls_total{auth=\"Bearer ****\",test=\"Shop.checkout\"} 3.0");
    }

    @Test
    void aSecretInANameATagKeyOrADescriptionIsShownAsStars() {
        live = List.of(List.of(new Message.MeterData("calls." + TOKEN, "counter",
                Map.of("test", "Shop.checkout", PASSWORD, "yes"), "calls signed with " + TOKEN, null, 1, 0, 0, 0,
                new double[0], new double[0])));

        String scrape = scrape();
        assertThat(scrape).contains("# HELP calls______total calls signed with ****",
                "calls______total{_=\"yes\",test=\"Shop.checkout\"} 1.0").doesNotContain(TOKEN, PASSWORD);
    }

    @Test
    void whatAnEndedWorkerCountedKeepsCountingWithTheSecretsHidden() {
        try (DaemonMetrics metrics = metrics()) {
            metrics.workerEnded(List.of(counter("shop.calls", Map.of("test", "Shop.checkout", "token", TOKEN), 5)));
            live = List.of(List.of(counter("shop.calls", Map.of("test", "Shop.checkout", "token", TOKEN), 1)));

            assertThat(metrics.prometheus().scrape())
                    .contains("shop_calls_total{test=\"Shop.checkout\",token=\"****\"} 6.0").doesNotContain(TOKEN);
        }
    }

    @Test
    void theTestTagAndValuesShorterThanFourCharactersAreLeftAlone() {
        Secrets checkout = Secrets.of(Map.of("shop.token", "checkout", "shop.pin-token", "abc"));
        live = List.of(List.of(counter("shop.calls", Map.of("test", "Shop.checkout", "page", "checkout",
                "pin", "abc"), 1)));

        try (DaemonMetrics metrics = metrics(checkout)) {
            assertThat(metrics.prometheus().scrape())
                    .contains("shop_calls_total{page=\"****\",pin=\"abc\",test=\"Shop.checkout\"} 1.0");
        }
    }

    private String scrape() {
        try (DaemonMetrics metrics = metrics()) {
            return metrics.prometheus().scrape();
        }
    }

    private DaemonMetrics metrics() {
        return metrics(SECRETS);
    }

    private DaemonMetrics metrics(Secrets secrets) {
        DaemonMetrics metrics = new DaemonMetrics(null, null, RunBuckets.DEFAULT, secrets);
        metrics.workers(new WorkerGauges() {
            @Override
            public int up() {
                return live.size();
            }

            @Override
            public int stuckThreads() {
                return 0;
            }

            @Override
            public List<List<Message.MeterData>> meters() {
                return live;
            }
        });
        return metrics;
    }

    private static Message.MeterData counter(String name, Map<String, String> tags, double count) {
        return new Message.MeterData(name, "counter", tags, "Calls to the shop", null, count, 0, 0, 0,
                new double[0], new double[0]);
    }
}

package dev.perpetual.daemon.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.daemon.internal.records.Results;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;

/**
 * The probes of a made-up web shop, never run: {@link History} gives them a realistic past (periods of minutes,
 * durations of hundreds of milliseconds, a few failures) for the status page's screenshot.
 */
class StoreFrontTestCase {

    @Perpetual(period = "1m", timeout = "30s", name = "checkout.order-confirmed")
    void orderConfirmed(O o) {
    }

    @Perpetual(period = "30s", timeout = "10s", name = "search.results")
    void searchResults(O o) {
    }

    @Perpetual(period = "2m", timeout = "45s", name = "signup.welcome-webhook")
    void welcomeWebhook(O o) {
    }

    @Perpetual(period = "1m", timeout = "20s", name = "login.sso-redirect")
    void ssoRedirect(O o) {
    }

    @Perpetual(period = "5m", timeout = "30s", name = "cart.add-item")
    void addItem(O o) {
    }

    @Perpetual(period = "15m", timeout = "1m", name = "pricing.page-loads")
    void pricingPage(O o) {
    }

    @Perpetual(period = "1h", timeout = "5m", name = "legacy.export")
    void legacyExport(O o) {
    }

    /** Records made-up runs, ending now, into the daemon's results (and metrics). */
    static final class History {

        private static final String CLASS = StoreFrontTestCase.class.getName();

        private History() {
        }

        static void fill(Results results) {
            Instant now = Instant.now();
            Random random = new Random(7);
            add(results, random, now, "checkout.order-confirmed", Duration.ofMinutes(1), 820, 100,
                    i -> i >= 95 ? Outcome.FAIL : i == 41 ? Outcome.FLAKY : Outcome.PASS);
            add(results, random, now, "search.results", Duration.ofSeconds(30), 240, 100,
                    i -> i % 23 == 7 ? Outcome.FLAKY : Outcome.PASS);
            add(results, random, now, "signup.welcome-webhook", Duration.ofMinutes(2), 3100, 100,
                    i -> i == 58 || i == 59 ? Outcome.TIMEOUT : i == 83 ? Outcome.ABORTED : Outcome.PASS);
            add(results, random, now, "login.sso-redirect", Duration.ofMinutes(1), 510, 100, i -> Outcome.PASS);
            add(results, random, now, "cart.add-item", Duration.ofMinutes(5), 380, 100,
                    i -> i == 66 ? Outcome.ERROR : i == 67 ? Outcome.FLAKY : Outcome.PASS);
            add(results, random, now, "pricing.page-loads", Duration.ofMinutes(15), 1400, 37, i -> Outcome.PASS);
        }

        private static void add(Results results, Random random, Instant now, String test, Duration period,
                long typicalMs, int count, IntFunction<Outcome> outcomes) {
            for (int i = 0; i < count; i++) {
                Outcome outcome = outcomes.apply(i);
                Instant planned = now.minus(period.multipliedBy(count - i)).plusSeconds(20);
                Instant start = planned.plusMillis(1 + random.nextInt(4));
                long millis = (long) (typicalMs * (0.8 + 0.4 * random.nextDouble())
                        * (random.nextInt(20) == 0 ? 1.8 : 1));
                if (outcome == Outcome.TIMEOUT) {
                    millis = 45_000;
                }
                String runId = String.format("r-%04d", i);
                results.record(new RunRecord(test, CLASS, runId, planned, start, Duration.ofMillis(millis), outcome,
                        outcome == Outcome.FLAKY ? 2 : 1, message(test, outcome, runId), stack(outcome),
                        log(test), 0, steps(test, start, millis, outcome), webhooks(test, outcome, millis), false, null,
                        outcome == Outcome.FAIL ? "/var/lib/perpetual/artifacts/" + test + "/" + runId : null));
            }
        }

        private static String message(String test, Outcome outcome, String runId) {
            return switch (outcome) {
                case FAIL -> "order status ==> expected: <CONFIRMED> but was: <PAYMENT_PENDING>\n"
                        + "Browser artifacts of this run: /var/lib/perpetual/artifacts/" + test + "/" + runId;
                case FLAKY -> "passed on attempt 2 of 3; attempt 1: fail results ==> expected: <true> but was: "
                        + "<false>";
                case TIMEOUT -> "Run of " + test + " timed out after 45 seconds: webhook [welcome-email] not "
                        + "received";
                case ERROR -> "java.net.ConnectException: Connection refused: cart-api.internal:8443";
                case ABORTED -> "cut off by shutdown: still running after the grace period of 30s";
                default -> null;
            };
        }

        private static String stack(Outcome outcome) {
            if (outcome == Outcome.PASS || outcome == Outcome.ABORTED) {
                return null;
            }
            return "org.opentest4j.AssertionFailedError: order status ==> expected: <CONFIRMED> but was: "
                    + "<PAYMENT_PENDING>\n\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:158)\n"
                    + "\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:197)\n"
                    + "\tat com.acme.shop.CheckoutE2E.orderConfirmed(CheckoutE2E.java:61)\n";
        }

        private static List<String> log(String test) {
            return switch (test) {
                case "checkout.order-confirmed" -> List.of("opened https://shop.example.com/cart as test user 4711",
                        "added SKU 10-4412 (1 x 19.90 EUR)", "paid with test card 4242 **** **** 4242",
                        "order 58213 placed; polling its status", "order 58213 status PAYMENT_PENDING after 12 polls");
                case "signup.welcome-webhook" -> List.of("signed up probe+7@example.com",
                        "expecting webhook welcome-email for probe+7@example.com");
                default -> List.of("GET https://shop.example.com/ 200 in 212 ms");
            };
        }

        private static List<RunReport.Step> steps(String test, Instant start, long millis, Outcome outcome) {
            if (!test.equals("checkout.order-confirmed")) {
                return List.of();
            }
            List<RunReport.Step> steps = new ArrayList<>();
            String[] names = { "open cart", "add item", "pay", "await confirmation" };
            long each = millis / names.length;
            for (int s = 0; s < names.length; s++) {
                Outcome step = s == names.length - 1 && outcome == Outcome.FAIL ? Outcome.FAIL : Outcome.PASS;
                steps.add(new RunReport.Step(names[s], start.plusMillis(s * each), Duration.ofMillis(each), step));
            }
            return steps;
        }

        private static List<RunReport.Webhook> webhooks(String test, Outcome outcome, long millis) {
            if (!test.equals("signup.welcome-webhook")) {
                return List.of();
            }
            return List.of(new RunReport.Webhook("welcome-email", "probe+7@example.com",
                    outcome == Outcome.TIMEOUT ? 0 : 1,
                    outcome == Outcome.TIMEOUT ? Optional.empty() : Optional.of(Duration.ofMillis(millis - 300))));
        }
    }
}

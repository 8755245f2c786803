package dev.perpetual.daemon.internal.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.perpetual.daemon.internal.records.RunHistory;
import dev.perpetual.daemon.internal.records.Views;
import dev.perpetual.spi.Outcome;
import dev.perpetual.worker.internal.Failures;

/**
 * {@code /status}: every test with a strip of its last {@value #STRIP_LENGTH} runs (oldest left, newest right, one
 * coloured cell per outcome; hover for time, duration and message, click for the run), p50 and p99 of their
 * durations, the period, and the last failure with a link to its details. Made from the same views as
 * {@code /api/tests}, and each strip from the kept records themselves (a hundred tests make ten thousand cells:
 * no view is built for one); {@code status.js} refreshes the table in place from
 * {@code /status/fragment}, and its buttons run, pause and resume a test with the admin token typed in the header.
 * Every string that comes from a test is escaped. Its own text is ASCII and Latin-1 only (arrows and dashes as
 * entities), so that a page of ten thousand cells is built and encoded one byte per character.
 */
final class StatusPage {

    static final int STRIP_LENGTH = RunHistory.CAPACITY;
    static final long REFRESH_MS_DEFAULT = 5000;
    static final long REFRESH_MS_MIN = 250;
    /** A failure's message in its row, so that "details &rarr;" stays in view: the run's page has all of it. */
    static final int FAILURE_CHARS = 120;

    private static final String COLUMNS = "<col class=\"w-name\"><col class=\"w-strip\"><col class=\"w-num\">"
            + "<col class=\"w-num\"><col class=\"w-num\"><col class=\"w-num\"><col class=\"w-last\">";

    private static final String EMPTY_STRIP = Strips.empty();

    private StatusPage() {
    }

    /** The whole page: header, the refreshed part, the legend. */
    static String page(TestsPage tests, Map<String, String> strips, String version, Instant now,
            long refreshMs) {
        StringBuilder html = new StringBuilder(capacity(tests));
        head(html, "Perpetual status");
        html.append("<body><header><h1><a href=\"/status\">Perpetual</a></h1><span class=\"version\">")
                .append(Html.escape(version)).append("</span><nav><a href=\"/metrics\">metrics</a>")
                .append("<a href=\"/api/tests\">api</a></nav><form class=\"search\" action=\"/status\" ")
                .append("role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"Search tests\" ")
                .append("aria-label=\"Search tests by name or class\" value=\"")
                .append(tests.query() == null ? "" : Html.escape(tests.query())).append("\"></form>")
                .append("<label class=\"admin\">Admin token <input ")
                .append("id=\"admin-token\" type=\"password\" autocomplete=\"off\" placeholder=\"")
                .append("perpetual.admin.token\"></label><span id=\"control-state\" class=\"state\"></span>")
                .append("<span id=\"refresh-state\" class=\"state\"></span></header><main id=\"tests\" data-refresh=\"")
                .append(Html.escape(tests.query() == null ? "/status/fragment" : "/status/fragment?q="
                        + java.net.URLEncoder.encode(tests.query(), java.nio.charset.StandardCharsets.UTF_8)))
                .append("\" data-refresh-ms=\"")
                .append(refreshMs).append("\">");
        fragment(html, tests, strips, now);
        html.append("</main><footer>");
        legend(html);
        return html.append("</footer></body></html>").toString();
    }

    /** What the page refreshes: the summary and the table. */
    static String fragment(TestsPage tests, Map<String, String> strips, Instant now) {
        StringBuilder html = new StringBuilder(capacity(tests));
        fragment(html, tests, strips, now);
        return html.toString();
    }

    /** About what the page takes: a strip's cell is some 150 characters. */
    private static int capacity(TestsPage tests) {
        return 32 * 1024 + tests.shown().size() * (STRIP_LENGTH * 160 + 4 * 1024);
    }

    static void head(StringBuilder html, String title) {
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(Html.escape(title)).append("</title><link rel=\"stylesheet\" href=\"/status/assets/")
                .append("status.css\"><link rel=\"icon\" href=\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org")
                .append("/2000/svg' viewBox='0 0 16 16'%3E%3Crect x='1' y='3' width='3' height='10' fill='%232da44e'")
                .append("/%3E%3Crect x='6' y='3' width='3' height='10' fill='%232da44e'/%3E%3Crect x='11' y='3' ")
                .append("width='3' height='10' fill='%23cf222e'/%3E%3C/svg%3E\"><script src=\"/status/assets/")
                .append("status.js\" defer></script></head>");
    }

    private static void fragment(StringBuilder html, TestsPage page, Map<String, String> strips,
            Instant now) {
        summary(html, page, now);
        List<Views.TestView> tests = page.shown();
        html.append("<table class=\"tests\">").append(COLUMNS).append("<thead><tr><th>Test</th><th>Last ")
                .append(STRIP_LENGTH).append(" runs, oldest &rarr; newest</th><th class=\"num\">p50</th>")
                .append("<th class=\"num\">p99</th><th class=\"num\">Period</th><th class=\"num\">Runs</th>")
                .append("<th>Last run</th></tr></thead>");
        for (Views.TestView test : tests) {
            if (test.enabled()) {
                test(html, test, strips.getOrDefault(test.name(), EMPTY_STRIP), now);
            }
        }
        for (Views.TestView test : tests) {
            if (!test.enabled()) {
                html.append("<tbody class=\"test disabled\" data-test=\"").append(Html.escape(test.name()))
                        .append("\"><tr><td class=\"name\"><span class=\"dot none\"></span><span class=\"test-name\">")
                        .append(Html.escape(test.name())).append("</span><div class=\"class\" title=\"")
                        .append(Html.escape(test.testClass())).append("\">")
                        .append(Html.escape(Html.simpleName(test.testClass()))).append("</div></td>")
                        .append("<td class=\"muted\" colspan=\"3\">disabled in this environment</td>")
                        .append("<td class=\"num\">").append(Html.escape(test.period()))
                        .append("</td><td></td><td></td></tr></tbody>");
            }
        }
        html.append("</table>");
    }

    private static void summary(StringBuilder html, TestsPage page, Instant now) {
        long failing = page.counts().failing();
        long passing = page.counts().passing();
        long waiting = page.counts().waiting();
        long disabled = page.counts().disabled();
        html.append("<section class=\"summary\"><span class=\"pill ").append(failing > 0 ? "failing" : "quiet")
                .append("\" id=\"failing-count\">").append(failing)
                .append(" failing</span><span class=\"pill passing\">")
                .append(passing).append(" passing</span>");
        if (waiting > 0) {
            html.append("<span class=\"pill quiet\">").append(waiting).append(" not run yet</span>");
        }
        if (disabled > 0) {
            html.append("<span class=\"pill quiet\">").append(disabled).append(" disabled</span>");
        }
        html.append("<span class=\"as-of\">as of ").append(Html.time(now)).append("</span></section>");
        if (page.query() != null || page.cut()) {
            html.append("<p class=\"shown\" id=\"shown\">");
            if (page.cut()) {
                html.append("Showing ").append(page.shown().size()).append(" of ").append(page.matching());
            }
            else {
                html.append(page.matching());
            }
            html.append(page.query() == null ? " tests, failing first: search to find the others."
                    : " tests matching [" + Html.escape(page.query()) + "], failing first. <a href=\"/status\">"
                            + "All tests</a>").append("</p>");
        }
    }

    private static void test(StringBuilder html, Views.TestView test, String strip, Instant now) {
        String state = test.lastSuccess() == null ? "waiting" : test.lastSuccess() ? "passing" : "failing";
        html.append("<tbody class=\"test ").append(state).append("\" data-test=\"").append(Html.escape(test.name()))
                .append("\"><tr><td class=\"name\"><span class=\"dot ")
                .append(test.lastOutcome() == null ? "none" : test.lastOutcome()).append("\" title=\"")
                .append(test.lastOutcome() == null ? "not run yet" : "last run: " + test.lastOutcome())
                .append("\"></span><a class=\"test-name\" href=\"/api/tests/").append(Html.escape(
                        Html.segment(test.name()))).append("/runs\">").append(Html.escape(test.name()))
                .append("</a>").append(test.quarantined() ? "<span class=\"quarantined\" title=\"It ended or "
                        + "wedged its worker too often: it runs alone in a worker of its own\">quarantined</span>" : "")
                .append(test.paused() ? "<span class=\"paused\" title=\"Its schedule is paused "
                        + (test.pausedUntil() == null ? "until it is resumed" : "until " + Html.escape(
                                test.pausedUntil())) + "\">paused</span>" : "")
                .append("<div class=\"class\" title=\"").append(Html.escape(test.testClass())).append("\">")
                .append(Html.escape(Html.simpleName(test.testClass()))).append("</div>");
        if (test.displayName() != null) {
            html.append("<div class=\"display-name\">").append(Html.escape(test.displayName())).append("</div>");
        }
        Uptimes.render(html, test.uptime());
        controls(html, test);
        html.append("</td>");
        html.append(strip);
        html.append("<td class=\"num\">").append(test.p50DurationMs() == null ? "&ndash;" : Html.duration(
                test.p50DurationMs())).append("</td><td class=\"num\">").append(test.p99DurationMs() == null ? "&ndash;"
                        : Html.duration(test.p99DurationMs())).append("</td><td class=\"num\">")
                .append(Html.escape(test.period())).append("</td><td class=\"num\">").append(test.runs())
                .append("</td><td class=\"last\">");
        if (test.lastRunStart() == null) {
            html.append("<span class=\"muted\">not run yet</span>");
        }
        else {
            Instant start = Instant.parse(test.lastRunStart());
            html.append("<span class=\"outcome ").append(test.lastOutcome()).append("\">").append(test.lastOutcome())
                    .append("</span> <span title=\"").append(Html.time(start)).append("\">")
                    .append(Html.ago(start, now)).append("</span>");
        }
        html.append("</td></tr>");
        Views.FailureView failure = test.lastFailure();
        if (failure != null) {
            Instant start = Instant.parse(failure.start());
            html.append("<tr class=\"failure\"><td></td><td colspan=\"6\"><span class=\"label\">Last failure</span> ")
                    .append("<span title=\"").append(Html.time(start)).append("\">").append(Html.ago(start, now))
                    .append("</span> <span class=\"outcome ").append(failure.outcome()).append("\">")
                    .append(failure.outcome()).append("</span> ")
                    .append(failure.location() == null ? "" : "<span class=\"location\">on "
                            + Html.escape(failure.location()) + "</span> ")
                    .append("<span class=\"message\">")
                    .append(Html.escape(failure.message() == null ? "(no message)"
                            : Failures.oneLine(failure.message(), FAILURE_CHARS)))
                    .append("</span> <a class=\"details\" href=\"")
                    .append(Html.escape(Html.runPath(test.name(), failure.runId()))).append("\">details &rarr;</a>")
                    .append(failure.traceUrl() == null ? "" : " <a class=\"trace\" href=\""
                            + Html.escape(failure.traceUrl()) + "\">trace &rarr;</a>")
                    .append("</td></tr>");
        }
        html.append("</tbody>");
    }

    /** Run now, and pause or resume: {@code status.js} posts them with the admin token. */
    private static void controls(StringBuilder html, Views.TestView test) {
        String name = Html.escape(test.name());
        html.append("<div class=\"controls\"><button type=\"button\" class=\"control\" data-action=\"run\" ")
                .append("data-test=\"").append(name).append("\">Run now</button><button type=\"button\" ")
                .append("class=\"control\" data-action=\"").append(test.paused() ? "resume" : "pause")
                .append("\" data-test=\"").append(name).append("\">").append(test.paused() ? "Resume" : "Pause")
                .append("</button></div>");
    }

    /** What an outcome says, and where to look. */
    static String meaning(Outcome outcome) {
        return switch (outcome) {
            case PASS -> "the system works";
            case FLAKY -> "the system worked on a retry";
            case FAIL -> "the system under test misbehaved (an assertion, or it could not be reached): look at it";
            case ERROR -> "the probe's own trouble (configuration, a browser, a worker): look at the test";
            case TIMEOUT -> "the run passed its deadline";
            case ABORTED -> "an assumption failed, or shutdown cut the run off: never pages";
        };
    }

    private static void legend(StringBuilder html) {
        html.append("<div class=\"legend\">");
        for (Outcome outcome : Outcome.values()) {
            html.append("<span title=\"").append(meaning(outcome)).append("\"><span class=\"c ")
                    .append(outcome.label()).append("\"></span>").append(outcome.label()).append("</span>");
        }
        html.append("<span class=\"hint\">Hover a cell for the run's time, duration and message; click it for the ")
                .append("run's log, steps and stack. p50 and p99 over the kept runs, aborted ones left out.</span>")
                .append("</div>");
    }
}

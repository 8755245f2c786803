package dev.perpetual.daemon.internal;

import java.util.List;

import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;

/** {@code /status}: a server-rendered table of the tests, their last outcome and a strip of their recent runs. */
final class StatusPage {

    static final int STRIP_LENGTH = 30;

    private StatusPage() {
    }

    static String render(Results results, String version) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"10\"><title>Perpetual</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}")
                .append(".o{display:inline-block;width:8px;height:16px;margin-right:1px}")
                .append(".pass{background:#2da44e}.flaky{background:#bf8700}.fail{background:#cf222e}")
                .append(".error{background:#8250df}.timeout{background:#fb8500}.aborted{background:#8c959f}")
                .append("</style></head><body><h1>Perpetual</h1><p>")
                .append(escape(version)).append(" · <a href=\"/metrics\">metrics</a> · ")
                .append("<a href=\"/api/tests\">api</a></p><table><tr><th>Test</th><th>Period</th>")
                .append("<th>Last outcome</th><th>Last run</th><th>Duration</th><th>Runs</th>")
                .append("<th>Recent (newest right)</th></tr>");
        for (ScheduledTest test : results.scheduled()) {
            RunHistory history = results.history(test.name());
            RunRecord last = history.last();
            html.append("<tr><td><a href=\"/api/tests/").append(escape(test.name())).append("/runs\">")
                    .append(escape(test.name())).append("</a></td><td>")
                    .append(Durations.format(test.settings().period())).append("</td><td>");
            if (last == null) {
                html.append("not run yet</td><td></td><td></td>");
            }
            else {
                html.append("<span class=\"o ").append(last.outcome().label()).append("\"></span> ")
                        .append(last.outcome().label()).append(last.message() == null ? ""
                                : ": " + escape(Failures.truncate(last.firstLineOfMessage(), 200)))
                        .append("</td><td>").append(last.start()).append("</td><td>")
                        .append(last.duration().toMillis()).append(" ms</td>");
            }
            html.append("<td>").append(history.runs()).append("</td><td>");
            List<RunRecord> recent = history.newestFirst();
            for (int i = Math.min(STRIP_LENGTH, recent.size()) - 1; i >= 0; i--) {
                Outcome outcome = recent.get(i).outcome();
                html.append("<span class=\"o ").append(outcome.label()).append("\" title=\"")
                        .append(outcome.label()).append("\"></span>");
            }
            html.append("</td></tr>");
        }
        for (ScheduledTest test : results.disabled()) {
            html.append("<tr><td>").append(escape(test.name())).append("</td><td>")
                    .append(Durations.format(test.settings().period()))
                    .append("</td><td colspan=\"5\">disabled in this environment</td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}

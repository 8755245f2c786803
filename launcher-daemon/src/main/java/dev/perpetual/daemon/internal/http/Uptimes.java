package dev.perpetual.daemon.internal.http;

import java.util.List;
import java.util.Locale;

import dev.perpetual.daemon.internal.records.Views;

/**
 * A test's uptime on {@code /status}: availability over 24 h, 7 d and 30 d (passes ÷ runs, aborted runs left out,
 * flaky ones counted as passing and shown), and its hourly p50 over the last day as a small line.
 */
final class Uptimes {

    static final int TREND_WIDTH = 96;
    static final int TREND_HEIGHT = 16;

    private Uptimes() {
    }

    static void render(StringBuilder html, Views.Uptime uptime) {
        if (uptime == null) {
            return;
        }
        html.append("<div class=\"uptime\">");
        window(html, "24h", uptime.day());
        window(html, "7d", uptime.week());
        window(html, "30d", uptime.month());
        trend(html, uptime.p50ByHour());
        html.append("</div>");
    }

    private static void window(StringBuilder html, String label, Views.Window window) {
        html.append("<span class=\"availability\" data-window=\"").append(label).append("\" title=\"")
                .append(window.passes()).append(" of ").append(window.runs()).append(" runs passed over ")
                .append(label).append(window.flaky() > 0 ? ", " + window.flaky() + " of them flaky" : "")
                .append(" (aborted runs left out)\">").append(label).append(' ')
                .append(percent(window.availability()));
        if (window.flaky() > 0) {
            html.append(" <span class=\"flaky-count\">").append(window.flaky()).append(" flaky</span>");
        }
        html.append("</span>");
    }

    /** {@code 99.95%}; {@code 100%} only when every run passed; {@code –} without runs. */
    static String percent(Double availability) {
        if (availability == null) {
            return "&ndash;";
        }
        if (availability >= 1.0) {
            return "100%";
        }
        return String.format(Locale.ROOT, "%.2f%%", Math.min(99.99, Math.floor(availability * 10_000) / 100));
    }

    private static void trend(StringBuilder html, List<Views.HourP50> hours) {
        if (hours.isEmpty()) {
            return;
        }
        double max = hours.stream().mapToDouble(Views.HourP50::p50Ms).max().orElse(1);
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < hours.size(); i++) {
            double x = hours.size() == 1 ? TREND_WIDTH / 2.0 : i * (double) TREND_WIDTH / (hours.size() - 1);
            double y = TREND_HEIGHT - 1 - (TREND_HEIGHT - 2) * hours.get(i).p50Ms() / Math.max(max, 1e-9);
            points.append(Html.tenths(x)).append(',').append(Html.tenths(y)).append(' ');
        }
        Views.HourP50 last = hours.get(hours.size() - 1);
        html.append("<svg class=\"trend\" width=\"").append(TREND_WIDTH).append("\" height=\"").append(TREND_HEIGHT)
                .append("\" viewBox=\"0 0 ").append(TREND_WIDTH).append(' ').append(TREND_HEIGHT)
                .append("\"><title>p50 per hour over the last day: ").append(Html.duration(last.p50Ms()))
                .append(" in the last hour, at most ").append(Html.duration(max)).append("</title><polyline ")
                .append("fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"")
                .append(points.toString().strip()).append("\"/></svg>");
    }
}

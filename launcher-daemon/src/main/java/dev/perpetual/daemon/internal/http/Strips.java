package dev.perpetual.daemon.internal.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.perpetual.daemon.internal.records.RunHistory;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.worker.internal.Failures;

/**
 * Each test's strip on {@code /status}: one cell per kept run, oldest left, drawn again only when the test's kept runs
 * changed. A hundred tests are ten thousand cells, most of them the same from one view (or refresh) to the next; the
 * {@value #KEPT} strips drawn last are kept, so a search through thousands of tests does not keep them all.
 */
final class Strips {

    static final int KEPT = 512;

    private record Drawn(RunHistory history, long changes, String html) {
    }

    private final Map<String, Drawn> drawn = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Drawn> eldest) {
            return size() > KEPT;
        }
    };

    /** The strip of {@code test}, whose runs {@code history} keeps. */
    String of(String test, RunHistory history) {
        RunHistory.Kept kept = history.kept();
        synchronized (drawn) {
            Drawn last = drawn.get(test);
            if (last != null && last.history == history && last.changes == kept.changes()) {
                return last.html;
            }
        }
        String html = draw(test, kept.newestFirst());
        synchronized (drawn) {
            drawn.put(test, new Drawn(history, kept.changes(), html));
        }
        return html;
    }

    /** A test without runs kept: empty cells only. */
    static String empty() {
        return draw(null, List.of());
    }

    /** One cell per kept run, oldest left; empty cells pad a short history on the left. */
    static String draw(String test, List<RunRecord> newestFirst) {
        StringBuilder html = new StringBuilder(StatusPage.STRIP_LENGTH * 160);
        html.append("<td class=\"strip\"><div class=\"cells\">");
        int shown = Math.min(StatusPage.STRIP_LENGTH, newestFirst.size());
        for (int i = shown; i < StatusPage.STRIP_LENGTH; i++) {
            html.append("<span class=\"c none\"></span>");
        }
        String runs = shown == 0 ? "" : Html.escape(Html.runsPath(test));
        for (int i = shown - 1; i >= 0; i--) {
            RunRecord run = newestFirst.get(i);
            String outcome = run.outcome().label();
            html.append("<a class=\"c ").append(outcome).append("\" ");
            if (run.location() != null) {
                html.append("data-location=\"").append(Html.escape(run.location())).append("\" ");
            }
            html.append("href=\"").append(runs).append(Html.escape(Html.segment(run.runId()))).append("\" title=\"");
            Html.time(html, run.start()).append(" · ").append(Html.duration(run.duration())).append(" · ")
                    .append(outcome);
            if (run.location() != null) {
                html.append(" · on ").append(Html.escape(run.location()));
            }
            if (run.message() != null) {
                html.append(": ").append(Html.escape(Failures.oneLine(run.message(), 200)));
            }
            html.append("\"></a>");
        }
        return html.append("</div></td>").toString();
    }
}

package dev.perpetual.daemon.internal.http;

import java.time.Instant;
import java.util.List;

import dev.perpetual.daemon.internal.records.RunArtifacts;
import dev.perpetual.daemon.internal.records.Views;

/**
 * {@code /status/tests/{name}/runs/{runId}}: one run, from the view {@code /api/tests/{name}/runs/{runId}} serves:
 * outcome, times, message, the browser artifacts (linked, the screenshot shown), steps, log lines, webhooks and
 * the stack. A run never changes, so this page does not refresh.
 */
final class RunPage {

    private RunPage() {
    }

    /** The page; {@code artifactFiles}: the run's browser artifacts still kept, served under {@code /artifacts/}. */
    static String render(Views.TestView test, Views.RunView run, List<String> artifactFiles, String version,
            Instant now, String here) {
        StringBuilder html = new StringBuilder(16 * 1024);
        StatusPage.head(html, run.outcome() + " · " + test.name() + " · Perpetual");
        Instant start = Instant.parse(run.start());
        String runs = "/api/tests/" + Html.segment(test.name()) + "/runs";
        html.append("<body class=\"run-page\"><header><h1><a href=\"/status\">Perpetual</a></h1>")
                .append("<span class=\"version\">").append(Html.escape(version)).append("</span><nav>")
                .append("<a href=\"/status\">← all tests</a><a href=\"").append(Html.escape(runs + "/"
                        + Html.segment(run.runId()))).append("\">json</a></nav></header><main>")
                .append("<h2><span class=\"outcome ").append(run.outcome()).append("\" id=\"outcome\">")
                .append(run.outcome()).append("</span> <span id=\"test-name\">").append(Html.escape(test.name()))
                .append("</span></h2><dl class=\"facts\">");
        fact(html, "Run", "<code id=\"run-id\">" + Html.escape(run.runId()) + "</code>");
        fact(html, "Class", "<code>" + Html.escape(test.testClass()) + "</code>");
        if (run.location() != null) {
            fact(html, "Location", "<span id=\"location\">" + Html.escape(run.location()) + "</span>"
                    + (run.location().equals(here) ? "" : " <span class=\"muted\">(another replica)</span>"));
        }
        if (run.traceId() != null) {
            fact(html, "Trace", "<code id=\"trace-id\">" + Html.escape(run.traceId()) + "</code>"
                    + (run.traceUrl() == null ? "" : " <a id=\"trace-link\" href=\"" + Html.escape(run.traceUrl())
                            + "\">trace →</a>"));
        }
        if (test.displayName() != null) {
            fact(html, "Display name", "<span id=\"display-name\">" + Html.escape(test.displayName()) + "</span>");
        }
        fact(html, "Started", Html.time(start) + " <span class=\"muted\">(" + Html.ago(start, now) + ")</span>");
        if (run.planned() != null) {
            fact(html, "Planned", Html.time(Instant.parse(run.planned())));
        }
        fact(html, "Duration", Html.duration(run.durationMs()));
        fact(html, "Attempts", Integer.toString(run.attempts()));
        fact(html, "Period", Html.escape(test.period()) + " · timeout " + Html.escape(test.timeout()));
        if (run.threadStuck()) {
            fact(html, "Thread", "<span class=\"outcome fail\">stuck</span> ignored its timeout and has not returned");
        }
        html.append("</dl>");
        if (run.message() != null) {
            html.append("<h3>Message</h3><pre class=\"message\" id=\"message\">").append(Html.escape(run.message()))
                    .append("</pre>");
        }
        artifacts(html, test, run, artifactFiles, here);
        steps(html, run, start);
        log(html, run);
        webhooks(html, run);
        if (run.stack() != null) {
            html.append("<h3>Stack</h3><pre class=\"stack\" id=\"stack\">").append(Html.escape(run.stack()))
                    .append("</pre>");
        }
        return html.append("</main></body></html>").toString();
    }

    /**
     * The run's browser artifacts: a link to each file still kept, the screenshot shown, and the folder on the
     * daemon's host (as the worker received it from selenium-probes' report entry).
     */
    private static void artifacts(StringBuilder html, Views.TestView test, Views.RunView run, List<String> files,
            String here) {
        if (run.artifacts() == null) {
            return;
        }
        html.append("<h3>Browser artifacts</h3>");
        if (run.location() != null && !run.location().equals(here)) {
            html.append("<p class=\"muted\" id=\"artifact-links\">Kept by the replica at <strong>")
                    .append(Html.escape(run.location())).append("</strong>, which ran it: open this run's page on ")
                    .append("that replica to see them.</p>");
            return;
        }
        if (files.isEmpty()) {
            html.append("<p class=\"muted\" id=\"artifact-links\">No longer kept (perpetual.artifacts.keep).</p>");
        }
        else {
            html.append("<ul class=\"artifacts\" id=\"artifact-links\">");
            for (String file : files) {
                html.append("<li><a href=\"").append(Html.escape(ArtifactFiles.path(test.name(), run.runId(), file)))
                        .append("\">").append(Html.escape(file)).append("</a></li>");
            }
            html.append("</ul>");
            if (files.contains(RunArtifacts.SCREENSHOT)) {
                html.append("<p><img id=\"screenshot\" class=\"screenshot\" alt=\"Screenshot of the failed page\" "
                        + "src=\"").append(Html.escape(ArtifactFiles.path(test.name(), run.runId(),
                                RunArtifacts.SCREENSHOT))).append("\"></p>");
            }
        }
        html.append("<p class=\"muted\">Folder on the daemon's host: <code id=\"artifacts\">")
                .append(Html.escape(run.artifacts())).append("</code></p>");
    }

    private static void fact(StringBuilder html, String term, String definitionHtml) {
        html.append("<dt>").append(term).append("</dt><dd>").append(definitionHtml).append("</dd>");
    }

    private static void steps(StringBuilder html, Views.RunView run, Instant runStart) {
        if (run.steps().isEmpty()) {
            return;
        }
        html.append("<h3>Steps</h3><table class=\"plain\" id=\"steps\"><thead><tr><th>Step</th><th>Outcome</th>")
                .append("<th class=\"num\">Duration</th><th class=\"num\">Started at</th></tr></thead><tbody>");
        for (Views.StepView step : run.steps()) {
            html.append("<tr><td>").append(Html.escape(step.name())).append("</td><td><span class=\"outcome ")
                    .append(step.outcome()).append("\">").append(step.outcome()).append("</span></td>")
                    .append("<td class=\"num\">").append(Html.duration(step.durationMs()))
                    .append("</td><td class=\"num\" ")
                    .append("title=\"").append(Html.time(Instant.parse(step.start()))).append("\">+")
                    .append(Html.duration(java.time.Duration.between(runStart, Instant.parse(step.start()))))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static void log(StringBuilder html, Views.RunView run) {
        html.append("<h3>Log</h3>");
        if (run.logLines().isEmpty()) {
            html.append("<p class=\"muted\">No log lines.</p>");
            return;
        }
        html.append("<ol class=\"log\" id=\"log\">");
        for (String line : run.logLines()) {
            html.append("<li>").append(Html.escape(line)).append("</li>");
        }
        html.append("</ol>");
        if (run.droppedLogLines() > 0) {
            html.append("<p class=\"muted\">").append(run.droppedLogLines()).append(" lines were left out between "
                    + "the first and the latest (perpetual.log.max-lines, perpetual.log.max-bytes).</p>");
        }
        if (run.output() != null && !run.output().isEmpty()) {
            html.append("<h3>Output</h3><p class=\"muted\">What the run printed to System.out and System.err "
                    + "(its head and tail when long).</p><pre class=\"output\" id=\"output\">")
                    .append(Html.escape(run.output())).append("</pre>");
        }
    }

    private static void webhooks(StringBuilder html, Views.RunView run) {
        if (run.webhooks().isEmpty()) {
            return;
        }
        html.append("<h3>Webhooks</h3><table class=\"plain\" id=\"webhooks\"><thead><tr><th>Channel</th>")
                .append("<th>Key</th><th class=\"num\">Deliveries</th><th class=\"num\">Latency</th></tr></thead>")
                .append("<tbody>");
        for (Views.WebhookView webhook : run.webhooks()) {
            html.append("<tr><td>").append(Html.escape(webhook.channel())).append("</td><td><code>")
                    .append(Html.escape(webhook.key())).append("</code></td><td class=\"num\">")
                    .append(webhook.deliveries()).append("</td><td class=\"num\">")
                    .append(webhook.latencyMs() == null ? "not received" : Html.duration(webhook.latencyMs()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }
}

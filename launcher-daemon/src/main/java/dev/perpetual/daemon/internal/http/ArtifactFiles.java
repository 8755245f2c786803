package dev.perpetual.daemon.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import dev.perpetual.daemon.internal.records.Results;
import dev.perpetual.daemon.internal.records.RunArtifacts;
import dev.perpetual.daemon.internal.records.RunHistory;
import dev.perpetual.daemon.internal.records.RunRecord;

/**
 * {@code /artifacts/{test}/{runId}/{file}}: a browser artifact of a kept run, as the pool wrote it ({@link RunArtifacts}
 * decides which files those are). The screenshot is served as {@code image/png}; the page's HTML and the logs as
 * plain text, scrubbed of secrets, so a captured page never runs on the admin port's origin.
 */
final class ArtifactFiles {

    /** The path of a run's artifact {@code file}, with each segment encoded. */
    static String path(String test, String runId, String file) {
        return "/artifacts/" + Html.segment(test) + "/" + Html.segment(runId) + "/" + Html.segment(file);
    }

    private ArtifactFiles() {
    }

    static void serve(HttpExchange exchange, Results results, String test, String runId, String file)
            throws IOException {
        RunHistory history = results.history(test);
        RunRecord record = history == null ? null : history.find(runId);
        if (record == null) {
            notFound(exchange, history == null ? "No scheduled test is named [" + test + "]; see /api/tests."
                    : "Test [" + test + "] has no kept run [" + runId + "]; see /api/tests/{name}/runs.");
            return;
        }
        if (!RunArtifacts.isArtifact(file)) {
            notFound(exchange, "[" + file + "] is not a browser artifact: a run's are "
                    + String.join(", ", RunArtifacts.FILES) + ".");
            return;
        }
        Optional<Path> found = results.artifacts().file(record, file);
        if (found.isEmpty()) {
            notFound(exchange, record.artifacts() == null
                    ? "Run [" + runId + "] of [" + test + "] left no browser artifacts."
                    : "Run [" + runId + "] of [" + test + "] has no " + file + " any more: pruned "
                            + "(perpetual.artifacts.keep), or never captured.");
            return;
        }
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "sandbox; default-src 'none'");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (RunArtifacts.isText(file)) {
            String text = results.secrets().scrub(Files.readString(found.get(), StandardCharsets.UTF_8));
            HttpApi.send(exchange, 200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
        else {
            HttpApi.send(exchange, 200, "image/png", Files.readAllBytes(found.get()));
        }
    }

    private static void notFound(HttpExchange exchange, String problem) throws IOException {
        HttpApi.text(exchange, 404, problem + "\n");
    }
}

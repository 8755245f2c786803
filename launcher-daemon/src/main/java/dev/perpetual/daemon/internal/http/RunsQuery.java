package dev.perpetual.daemon.internal.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.perpetual.daemon.internal.records.RunQuery;
import dev.perpetual.daemon.internal.records.RunRecord;
import dev.perpetual.spi.Outcome;

/**
 * The query of {@code /api/tests/{name}/runs}: {@code limit} (1 to {@value RunQuery#LIMIT_MAX}, default
 * {@value RunQuery#LIMIT_DEFAULT}), {@code before} (an ISO-8601 instant: runs that started before it) and
 * {@code outcome} (one outcome's label); and the path of the next page.
 */
final class RunsQuery {

    private RunsQuery() {
    }

    /** The query {@code parameters} ask for; a bad value throws, its message naming the parameter and the fix. */
    static RunQuery of(Map<String, String> parameters) {
        int limit = RunQuery.LIMIT_DEFAULT;
        String text = parameters.get("limit");
        if (text != null) {
            try {
                limit = Integer.parseInt(text.strip());
            }
            catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > RunQuery.LIMIT_MAX) {
                throw new IllegalArgumentException(String.format("Invalid limit [%s]: use a whole number from 1 to "
                        + "%d (default %d).", text, RunQuery.LIMIT_MAX, RunQuery.LIMIT_DEFAULT));
            }
        }
        Instant before = null;
        text = parameters.get("before");
        if (text != null) {
            try {
                before = Instant.parse(text.strip());
            }
            catch (DateTimeParseException e) {
                throw new IllegalArgumentException(String.format("Invalid before [%s]: use an instant such as "
                        + "2026-12-03T20:00:00Z (the runs that started before it).", text));
            }
        }
        Outcome outcome = null;
        text = parameters.get("outcome");
        if (text != null) {
            try {
                outcome = Outcome.valueOf(text.strip().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format("Invalid outcome [%s]: use one of %s.", text,
                        Arrays.stream(Outcome.values()).map(Outcome::label).collect(Collectors.joining(", "))));
            }
        }
        return new RunQuery(limit, before, outcome);
    }

    /**
     * The path of the page after {@code page} (fetched with one run more than asked), or null when it is the last.
     */
    static String next(String test, RunQuery query, List<RunRecord> page) {
        if (page.size() <= query.limit()) {
            return null;
        }
        StringBuilder path = new StringBuilder("/api/tests/").append(Html.segment(test)).append("/runs?limit=")
                .append(query.limit()).append("&before=")
                .append(URLEncoder.encode(page.get(query.limit() - 1).start().toString(), StandardCharsets.UTF_8));
        if (query.outcome() != null) {
            path.append("&outcome=").append(query.outcome().label());
        }
        return path.toString();
    }
}

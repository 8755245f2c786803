package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.worker.internal.Secrets;
import org.apiguardian.api.API;

/**
 * The daemon's console: a start banner, one line per run ({@code PASS  CheckoutE2E.orderConfirmed  212 ms}), and
 * notices; or, with {@code --log-format json}, one JSON object per line. Never throws nor blocks: lines go through
 * one bounded {@link ConsoleWriter}, so a console that fails or stalls cannot stop a run from being recorded. Every
 * line, a worker's included, is scrubbed of the configuration's secrets once they are known ({@link #hide}).
 */
@API(status = INTERNAL, since = "0.1")
public final class Console {

    /** {@code --log-format}. */
    public enum Format { TEXT, JSON }

    private final Format format;
    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper json;
    private final ConsoleWriter writer = new ConsoleWriter();
    /** The secrets no line shows: none until the configuration is known. */
    private volatile Secrets secrets = Secrets.none();

    public Console(Format format, PrintStream out, PrintStream err, ObjectMapper json) {
        this.format = format;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** From now on, every line is written with {@code secrets} replaced by {@value Secrets#MASK}. */
    public void hide(Secrets secrets) {
        this.secrets = secrets;
    }

    /** Waits (a few seconds at most) until every line so far is written: before exiting, and in tests. */
    public void flush() {
        writer.flush(Duration.ofSeconds(5));
    }

    void run(RunRecord record) {
        long millis = record.duration().toMillis();
        if (format == Format.JSON) {
            Map<String, Object> event = event("run");
            event.put("test", record.test());
            event.put("outcome", record.outcome().label());
            event.put("durationMs", millis);
            event.put("runId", record.runId());
            event.put("attempts", record.attempts());
            if (record.message() != null) {
                event.put("message", record.oneLineMessage());
            }
            write(out, event);
            return;
        }
        String label = record.outcome().name();
        String message = record.message() == null ? "" : "  " + record.oneLineMessage();
        println(out, String.format(Locale.ROOT, "%-4s  %s  %d ms%s", label, record.test(), millis, message));
    }

    /** A line a worker printed outside any run (the JVM's own warnings, a library's background logging). */
    public void worker(String line) {
        notice("worker", err, line);
    }

    public void info(String text) {
        notice("info", out, text);
    }

    /** A notice for the operator, such as a warning or a problem; stderr in text form. */
    public void warn(String text) {
        notice("warning", err, text);
    }

    private void notice(String name, PrintStream textStream, String text) {
        if (format == Format.JSON) {
            Map<String, Object> event = event(name);
            event.put("message", text);
            write(out, event);
        }
        else {
            println(textStream, text);
        }
    }

    /** A structured event (JSON) or its text form. */
    public void event(String name, Map<String, Object> fields, String text) {
        if (format == Format.JSON) {
            Map<String, Object> event = event(name);
            event.putAll(fields);
            write(out, event);
        }
        else {
            println(out, text);
        }
    }

    private static Map<String, Object> event(String name) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", Instant.now().toString());
        event.put("event", name);
        return event;
    }

    private void println(PrintStream stream, String text) {
        writer.println(stream, secrets.scrub(text));
    }

    /** The event as one JSON line, its texts scrubbed before they are escaped. */
    private void write(PrintStream stream, Map<String, Object> event) {
        Secrets hidden = secrets;
        event.replaceAll((key, value) -> value instanceof String text ? hidden.scrub(text) : value);
        try {
            writer.println(stream, json.writeValueAsString(event));
        }
        catch (JsonProcessingException e) {
            writer.println(stream, "{\"event\":\"console-error\"}");
        }
    }
}

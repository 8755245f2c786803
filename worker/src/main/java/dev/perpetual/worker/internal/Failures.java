package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apiguardian.api.API;

/** Failure text kept in records: bounded, so a test that throws megabytes cannot flood the daemon's memory. */
@API(status = INTERNAL, since = "0.1")
public final class Failures {

    public static final int MAX_MESSAGE_CHARS = 2_000;
    public static final int MAX_STACK_CHARS = 8_000;

    private Failures() {
    }

    public static String message(Throwable failure) {
        String message = failure.getMessage();
        return truncate(message == null ? failure.getClass().getName() : message, MAX_MESSAGE_CHARS);
    }

    public static String stack(Throwable failure) {
        StringWriter text = new StringWriter();
        try {
            failure.printStackTrace(new PrintWriter(text));
        }
        catch (RuntimeException e) {
            // a toString() that throws: keep what was written
        }
        return truncate(text.toString(), MAX_STACK_CHARS);
    }

    public static String stack(Thread thread, StackTraceElement[] frames) {
        StringBuilder text = new StringBuilder("\"").append(thread.getName()).append("\" ")
                .append(thread.getState()).append('\n');
        for (StackTraceElement frame : frames) {
            text.append("\tat ").append(frame).append('\n');
            if (text.length() > MAX_STACK_CHARS) {
                break;
            }
        }
        return truncate(text.toString(), MAX_STACK_CHARS);
    }

    /**
     * A message on one line, for the console, the JSON log, the summary, the API and the status page: its lines
     * without their indentation, joined by a space ({@code Expecting actual: "x" to contain: "y"}, as AssertJ writes
     * it over several lines starting with a newline), and cut to {@code max} characters. Empty only for an empty
     * message.
     */
    public static String oneLine(String message, int max) {
        if (message == null) {
            return "";
        }
        StringBuilder line = new StringBuilder(Math.min(message.length(), max + 16));
        for (String part : message.split("\\R")) {
            String stripped = part.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(stripped);
            if (line.length() > max) {
                break;
            }
        }
        return line.length() <= max ? line.toString() : line.substring(0, max - 1) + "…";
    }

    public static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + (text.length() - max) + " more chars)";
    }
}

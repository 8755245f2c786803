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

    public static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + (text.length() - max) + " more chars)";
    }
}

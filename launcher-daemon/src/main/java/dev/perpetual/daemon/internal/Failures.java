package dev.perpetual.daemon.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Failure text kept in records: bounded, so a test that throws megabytes cannot flood the daemon's memory. */
final class Failures {

    static final int MAX_MESSAGE_CHARS = 2_000;
    static final int MAX_STACK_CHARS = 8_000;

    private Failures() {
    }

    static String message(Throwable failure) {
        String message = failure.getMessage();
        return truncate(message == null ? failure.getClass().getName() : message, MAX_MESSAGE_CHARS);
    }

    static String stack(Throwable failure) {
        StringWriter text = new StringWriter();
        try {
            failure.printStackTrace(new PrintWriter(text));
        }
        catch (RuntimeException e) {
            // a toString() that throws: keep what was written
        }
        return truncate(text.toString(), MAX_STACK_CHARS);
    }

    static String stack(Thread thread, StackTraceElement[] frames) {
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

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + (text.length() - max) + " more chars)";
    }
}

package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.apiguardian.api.API;

/**
 * What libraries log through {@code java.util.logging} (Micrometer's OTLP push; Lettuce and HikariCP, through SLF4J), said on
 * the daemon's console as one warning line in its own format, rather than two-line JUL records with stack traces.
 * Their informational records are left out: the banner already says what they would.
 */
@API(status = INTERNAL, since = "0.1")
public final class LibraryLog extends Handler {

    private static final List<String> LIBRARIES = List.of("io.micrometer", "io.lettuce", "io.netty", "com.zaxxer.hikari");

    private final Console console;
    /** Held: {@link Logger#getLogger} keeps loggers only weakly, and a collected one forgets its configuration. */
    private final List<Logger> loggers;

    private LibraryLog(Console console) {
        this.console = console;
        this.loggers = LIBRARIES.stream().map(Logger::getLogger).toList();
    }

    public static LibraryLog install(Console console) {
        LibraryLog log = new LibraryLog(console);
        log.setLevel(Level.WARNING);
        log.setFormatter(new SimpleFormatter());
        for (Logger logger : log.loggers) {
            // HikariCP warns of every broken connection; the run store says once when the database goes and comes.
            logger.setLevel(logger.getName().equals("com.zaxxer.hikari") ? Level.SEVERE : Level.WARNING);
            logger.setUseParentHandlers(false);
            logger.addHandler(log);
        }
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String message = getFormatter().formatMessage(record); // its parameters put in, as JUL's console would
        Throwable root = record.getThrown();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        console.warn(record.getLoggerName() + ": " + message + (root == null ? "" : " (" + root + ")"));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.removeHandler(this);
        }
    }
}

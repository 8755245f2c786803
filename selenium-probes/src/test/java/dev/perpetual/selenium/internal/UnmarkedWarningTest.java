package dev.perpetual.selenium.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnmarkedWarningTest {

    @Test
    @DisplayName("a browser whose requests cannot be intercepted is said once per pool, as a warning naming the fix")
    void saidOnceNamingTheFix() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(UnmarkedWarning.class.getName());
        logger.addHandler(handler);
        try {
            UnmarkedWarning warning = new UnmarkedWarning();
            warning.noInterception("browser 1 [session 42 on http://grid:4444]", "no se:cdp");
            warning.noInterception("browser 2 [session 43 on http://grid:4444]", "no se:cdp");
        }
        finally {
            logger.removeHandler(handler);
        }

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).isEqualTo("The pages of browser probes send their requests without the "
                    + "runs' traceparent, tracestate and baggage: browser 1 [session 42 on http://grid:4444] offers "
                    + "no DevTools connection to intercept them (no se:cdp). Use Chromium with chromedriver (Debian's: "
                    + "apt-get install -y chromium chromium-driver), or a Selenium Grid 4.x with DevTools on (its "
                    + "default, '--enable-cdp true') and WebSocket traffic let through; or set "
                    + "'perpetual.tenancy.browser-origins' to 'none' to mark no browser request and drop this "
                    + "warning.");
        });
    }
}

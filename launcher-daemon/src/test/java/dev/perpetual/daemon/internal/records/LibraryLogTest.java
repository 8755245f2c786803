package dev.perpetual.daemon.internal.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LibraryLogTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Console console = new Console(Console.Format.TEXT, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new ObjectMapper());

    @Test
    void a_library_warning_is_one_console_line_with_its_root_cause_and_its_information_is_left_out() {
        LibraryLog log = LibraryLog.install(console);
        try {
            Logger otlp = Logger.getLogger("io.micrometer.registry.otlp.OtlpMeterRegistry");
            otlp.info("Publishing metrics for OtlpMeterRegistry every 1m");
            otlp.log(Level.WARNING, "Failed to publish metrics to OTLP receiver",
                    new Exception(new ConnectException("Connection refused")));
        }
        finally {
            log.close();
        }
        console.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly("io.micrometer.registry.otlp."
                + "OtlpMeterRegistry: Failed to publish metrics to OTLP receiver (java.net.ConnectException: "
                + "Connection refused)");
    }
}

package dev.perpetual.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Debian's {@code prometheus-alertmanager} on a free port, alone (no cluster port), with a given configuration. */
final class AlertmanagerServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExternalProcess process;

    private AlertmanagerServer(ExternalProcess process) {
        this.process = process;
    }

    /** Starts it on {@code config}; the log is kept as {@code target/<name>-alertmanager.log}. */
    static AlertmanagerServer start(Path dir, String name, String config) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("alertmanager.yml"), config);
        return new AlertmanagerServer(ExternalProcess.start(dir.resolve("alertmanager.log"),
                name + "-alertmanager.log", List.of(BINARY.toString(), "--config.file=" + file,
                        "--storage.path=" + dir.resolve("data"), "--cluster.listen-address=", "--log.level=warn")));
    }

    int port() {
        return process.port;
    }

    /** The alert {@code name} for {@code test} as Alertmanager holds it ({@code /api/v2/alerts}), or null. */
    JsonNode alert(String name, String test) throws Exception {
        for (JsonNode alert : JSON.readTree(process.get("/api/v2/alerts").body())) {
            if (alert.at("/labels/alertname").asText().equals(name) && alert.at("/labels/test").asText().equals(test)) {
                return alert;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.close();
    }
}

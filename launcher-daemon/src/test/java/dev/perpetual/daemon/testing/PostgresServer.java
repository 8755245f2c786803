package dev.perpetual.daemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} 15, {@code /usr/lib/postgresql/15/bin}) in a fresh data
 * folder, on a free loopback port, trusting local connections as user {@value #USER}. PostgreSQL refuses to run as
 * root, so under root it runs as the {@code postgres} user the package made ({@code runuser}). Register it as a
 * static field with {@code @RegisterExtension}: {@code initdb} and start before the class's tests, stop and removal
 * after them; {@link #stop()} and {@link #start()} in between play an outage.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    public static final String USER = "perpetual";
    static final Path BIN = Path.of(System.getProperty("perpetual.postgresql.bin", "/usr/lib/postgresql/15/bin"));

    private Path folder;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("perpetual-postgres-");
        port = freePort();
        if (root()) {
            run(List.of("chown", "postgres:postgres", folder.toString()));
        }
        run(asOwner(BIN.resolve("initdb").toString(), "-D", data(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-sync"));
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            stop();
        }
        finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** Drops the run store's tables, so the next test starts from an empty database. */
    public void dropTables() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS perpetual_runs, perpetual_rollups, perpetual_latency, "
                    + "perpetual_schema_version");
        }
    }

    /** The runs stored in {@code perpetual_runs}; 0 before the daemon made the table. */
    public long runsStored() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM perpetual_runs")) {
            count.next();
            return count.getLong(1);
        }
        catch (SQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return 0;
            }
            throw e;
        }
    }

    /** Starts it (again, on the same port, with what it held) and waits until it accepts connections. */
    public synchronized void start() {
        if (Files.exists(Path.of(data(), "postmaster.pid"))) {
            return; // running
        }
        run(asOwner(BIN.resolve("pg_ctl").toString(), "-D", data(), "-l", folder.resolve("log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
    }

    /** Stops it ({@code pg_ctl stop -m immediate}: as a crash, connections cut) and waits until it is gone. */
    public synchronized void stop() {
        if (Files.exists(Path.of(data(), "postmaster.pid"))) {
            run(asOwner(BIN.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"));
        }
    }

    private String data() {
        return folder.resolve("data").toString();
    }

    private static List<String> asOwner(String... command) {
        List<String> line = new ArrayList<>();
        if (root()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        return line;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void run(List<String> command) {
        try {
            Path log = Files.createTempFile("perpetual-postgres-command-", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end within 90s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue()
                            + ": " + Files.readString(log) + (command.contains("start")
                                    ? Files.readString(folder.resolve("log")) : "")
                            + " (is Debian's postgresql package installed? apt-get install postgresql)");
                }
            }
            finally {
                Files.deleteIfExists(log);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

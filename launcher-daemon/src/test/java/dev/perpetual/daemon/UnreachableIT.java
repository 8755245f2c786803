package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Through the shaded jar and a forked worker: runs that cannot connect to a closed loopback port, with the JDK's
 * {@code HttpClient}, {@code HttpURLConnection} and Spring's {@code RestTemplate} and {@code RestClient}, and from a
 * {@code @BeforeEach}, are {@code fail} with a message naming the host and port.
 */
class UnreachableIT {

    @Test
    void aConnectionThatFailsIsShownWithTheHostAndPortItCouldNotReach() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        try (DaemonJar jar = DaemonJar.start("5s", "--once", "-cp", springJars(), "--select-class",
                "dev.perpetual.daemon.fixtures.UnreachableE2E", "--select-class",
                "dev.perpetual.daemon.fixtures.UnreachableBeforeEachE2E", "--config",
                "perpetual.env.closed-port=" + port, "--config",
                "perpetual.worker.jvm-args=-Xmx256m -XX:+ExitOnOutOfMemoryError -Dclosed.port=" + port)) {
            assertThat(jar.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            jar.reader.join(5_000);

            assertThat(jar.output).contains(
                    "  FAIL    UnreachableE2E.jdkHttpClient  java.net.ConnectException: " + address,
                    "  FAIL    UnreachableE2E.urlConnection  Connection refused: " + address,
                    "  FAIL    UnreachableE2E.restTemplate  I/O error on GET request for \"http://" + address
                            + "/owners\": Connection refused",
                    "  FAIL    UnreachableE2E.restClient  I/O error on GET request for \"http://" + address
                            + "/owners\": java.net.ConnectException",
                    "  FAIL    UnreachableBeforeEachE2E.ordersList  in @BeforeEach signIn: java.net.ConnectException: "
                            + address);
        }
    }

    /** Spring's jars (and the logging they need) from this JVM's class path. */
    private static String springJars() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> List.of("spring-", "commons-logging").stream()
                        .anyMatch(name -> new File(entry).getName().startsWith(name)))
                .collect(Collectors.joining(File.pathSeparator));
    }
}

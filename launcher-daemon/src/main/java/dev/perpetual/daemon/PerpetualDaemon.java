package dev.perpetual.daemon;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Properties;

import dev.perpetual.daemon.internal.cli.DaemonCommand;
import org.apiguardian.api.API;

/**
 * The Perpetual daemon's entry point: {@code java -jar perpetual-daemon.jar -cp <test classes> --scan-class-path}
 * runs the selected {@code @Perpetual} tests forever and serves their metrics on one port. {@code --help} lists the
 * options.
 *
 * <p>Exit codes: {@value #EXIT_OK} when stopped by SIGTERM or SIGINT, or when {@code --once} saw every test pass;
 * {@value #EXIT_TESTS_FAILED} when {@code --once} saw a failing test, or was stopped before every test had run and
 * passed; {@value #EXIT_USAGE} for bad usage, bad
 * configuration or no tests selected.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PerpetualDaemon {

    /** Stopped cleanly, or {@code --once} saw every test pass: {@value}. */
    public static final int EXIT_OK = 0;

    /** {@code --once} saw a test fail, error or time out, or was stopped before all had run and passed: {@value}. */
    public static final int EXIT_TESTS_FAILED = 1;

    /** Bad usage, bad configuration, or no tests selected: {@value}. */
    public static final int EXIT_USAGE = 2;

    /**
     * How long, in seconds, a request may take to arrive and a response to be taken, unless the JVM already sets
     * {@code sun.net.httpserver.maxReqTime} or {@code sun.net.httpserver.maxRspTime}: {@value}. Without a limit, a
     * client that stops sending halfway holds one of the port's few threads for good (the webhook receiver too).
     */
    static final long HTTP_TIME_LIMIT_SECONDS = 30;

    private PerpetualDaemon() {
    }

    public static void main(String[] args) {
        // Before any class of the JDK's HTTP server loads: it reads these once.
        defaultHttpLimits(System.getProperties());
        System.exit(DaemonCommand.execute(args, System.out, System.err));
    }

    /**
     * Sets the JDK HTTP server's request and response time limits in {@code properties} where they are unset, and
     * turns Nagle's algorithm off: the server writes a response's headers and its body apart, and a small body would
     * otherwise wait for the client's delayed ACK, about 40 ms (measured on the probes' analytics collector).
     */
    static void defaultHttpLimits(Properties properties) {
        properties.putIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(HTTP_TIME_LIMIT_SECONDS));
        properties.putIfAbsent("sun.net.httpserver.maxRspTime", Long.toString(HTTP_TIME_LIMIT_SECONDS));
        properties.putIfAbsent("sun.net.httpserver.nodelay", "true");
    }
}

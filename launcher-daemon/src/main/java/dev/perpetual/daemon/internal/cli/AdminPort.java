package dev.perpetual.daemon.internal.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;

import picocli.CommandLine;

/** {@code --port}'s grammar, and the one line that says why the admin port could not be served. */
final class AdminPort {

    static final int MAX = 65535;

    private AdminPort() {
    }

    /** A port from 0 (a free one) to {@value #MAX}. */
    static int parse(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= MAX) {
                return port;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException(String.format("[%s] is not a port: give a number from 0 to %d "
                + "(0 picks a free port)", value, MAX));
    }

    /** Why the admin port could not be served, in one line naming the option, the value and the fix. */
    static String problem(String bindAddress, int port, IOException e) {
        String where = (bindAddress == null ? "" : bindAddress + ":") + port;
        if (e instanceof BindException) {
            return String.format("--port %d: the admin port [%s] cannot be served (%s): give a free port with "
                    + "--port, or --port 0 to pick one.", port, where, e.getMessage());
        }
        if (e instanceof UnknownHostException) {
            return String.format("perpetual.admin.bind-address [%s] is not an address of this machine (%s): give an "
                    + "IP address such as 0.0.0.0 or 127.0.0.1, or leave it out.", bindAddress, e.getMessage());
        }
        return String.format("--port %d: the admin port [%s] cannot be served (%s).", port, where, e);
    }
}

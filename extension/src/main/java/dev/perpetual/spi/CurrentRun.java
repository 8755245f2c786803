package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;

import dev.perpetual.O;
import dev.perpetual.internal.PerpetualExtension;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets other extensions (such as the browser probes) reach the {@link O} of the run a test method context belongs
 * to, for its name, run id, deadline and metrics.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CurrentRun {

    private CurrentRun() {
    }

    /** The run of {@code context}'s test method, once the Perpetual extension has started it. */
    public static Optional<O> of(ExtensionContext context) {
        return PerpetualExtension.runOf(context);
    }
}

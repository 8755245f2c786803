package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A {@link dev.perpetual.Perpetual @Perpetual} test whose settings are invalid. {@link #problems()} lists each
 * problem on its own, naming the test, the attribute or key, the value and the fix.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class InvalidPerpetualTestException extends ExtensionConfigurationException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidPerpetualTestException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}

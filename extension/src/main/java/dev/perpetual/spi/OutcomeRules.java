package dev.perpetual.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/**
 * What a failed run's throwable says about who failed, the one place that decides it. {@code fail} means the system
 * under test misbehaved: an assertion, {@code O.fail}/{@code O.error}, an Awaitility condition that never held, or
 * trouble talking to the system ({@link IOException} anywhere in the cause chain: a refused or reset connection, an
 * I/O or HTTP timeout, TLS; an HTTP client's error response, such as Spring's {@code RestClientResponseException}).
 * {@code error} means the probe's own trouble: parameter resolution, missing configuration, linkage and
 * class-loading errors, a browser or driver that would not start, and whatever else is not known to be the system's.
 * A failed assumption is {@code aborted}; a timeout {@code timeout}.
 *
 * <p>The cause chain is read from the outermost throwable in; the first throwable a rule knows decides.
 * {@value #FAIL_KEY} and {@value #ERROR_KEY} (comma-separated class names, matching a class or any of its
 * superclasses) come first, so a team can say that its client's {@code ShopUnavailableException} is the system's
 * failure, or that an {@code IOException} reading the probe's own fixture file is not.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class OutcomeRules {

    /** Exception classes whose runs are {@code fail}: {@value}. */
    public static final String FAIL_KEY = dev.perpetual.Constants.OUTCOME_FAIL;

    /** Exception classes whose runs are {@code error}: {@value}. */
    public static final String ERROR_KEY = dev.perpetual.Constants.OUTCOME_ERROR;

    /** The rules without overrides. */
    public static final OutcomeRules DEFAULT = new OutcomeRules(Set.of(), Set.of());

    /** The system's: talking to it failed, or it answered with an error status. */
    private static final Set<String> SYSTEM_FAILURES = Set.of("org.awaitility.core.ConditionTimeoutException",
            "org.springframework.web.client.RestClientResponseException",
            "org.springframework.web.reactive.function.client.WebClientResponseException",
            "jakarta.ws.rs.WebApplicationException", "feign.FeignException");

    /** The probe's own, whatever their causes: a driver or browser that did not start, a resolver, the build. */
    private static final Set<String> PROBE_FAILURES = Set.of("org.openqa.selenium.SessionNotCreatedException",
            "org.junit.jupiter.api.extension.ParameterResolutionException",
            "org.junit.jupiter.api.extension.ExtensionConfigurationException",
            "org.junit.platform.commons.PreconditionViolationException");

    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private final Set<String> fail;
    private final Set<String> error;

    private OutcomeRules(Set<String> fail, Set<String> error) {
        this.fail = fail;
        this.error = error;
    }

    /**
     * The rules with the overrides of {@code config}.
     *
     * @throws IllegalArgumentException naming the key, the value and the form when a value is not class names
     */
    public static OutcomeRules from(Function<String, Optional<String>> config) {
        Set<String> fail = classNames(config, FAIL_KEY);
        Set<String> error = classNames(config, ERROR_KEY);
        return fail.isEmpty() && error.isEmpty() ? DEFAULT : new OutcomeRules(fail, error);
    }

    private static Set<String> classNames(Function<String, Optional<String>> config, String key) {
        Optional<String> value = config.apply(key).map(String::strip).filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return Set.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : value.get().split(",")) {
            String className = name.strip();
            if (!CLASS_NAME.matcher(className).matches()) {
                throw new IllegalArgumentException("Invalid configuration parameter " + key + " = [" + value.get()
                        + "]: expected fully qualified exception class names separated by commas, such as "
                        + "com.acme.shop.ShopUnavailableException,java.io.UncheckedIOException");
            }
            names.add(className);
        }
        return Set.copyOf(names);
    }

    /** The outcome {@code failure} stands for; {@link Outcome#PASS} for none. */
    public Outcome of(Throwable failure) {
        if (failure == null) {
            return Outcome.PASS;
        }
        if (failure instanceof TestAbortedException) {
            return Outcome.ABORTED;
        }
        if (failure instanceof TimeoutException) {
            return Outcome.TIMEOUT;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            Outcome decided = decide(cause);
            if (decided != null) {
                return decided;
            }
        }
        return Outcome.ERROR;
    }

    private Outcome decide(Throwable thrown) {
        if (isA(thrown, error)) {
            return Outcome.ERROR;
        }
        if (isA(thrown, fail)) {
            return Outcome.FAIL;
        }
        if (thrown instanceof AssertionError || thrown instanceof IOException || isA(thrown, SYSTEM_FAILURES)) {
            return Outcome.FAIL;
        }
        if (thrown instanceof LinkageError || thrown instanceof ReflectiveOperationException
                || isA(thrown, PROBE_FAILURES)) {
            return Outcome.ERROR;
        }
        return null;
    }

    private static boolean isA(Throwable thrown, Set<String> classNames) {
        if (classNames.isEmpty()) {
            return false;
        }
        for (Class<?> type = thrown.getClass(); type != null; type = type.getSuperclass()) {
            if (classNames.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "OutcomeRules[fail=%s, error=%s]", fail, error);
    }
}

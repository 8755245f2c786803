package dev.perpetual.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class OutcomeRulesTest {

    private static final OutcomeRules RULES = OutcomeRules.DEFAULT;

    @Test
    void the_system_under_test_failing_or_not_answering_is_fail() {
        assertThat(RULES.of(new AssertionFailedError("status ==> expected: <200> but was: <500>")))
                .isEqualTo(Outcome.FAIL);
        assertThat(RULES.of(new ConnectException("Connection refused"))).isEqualTo(Outcome.FAIL);
        assertThat(RULES.of(new HttpTimeoutException("request timed out"))).isEqualTo(Outcome.FAIL);
        assertThat(RULES.of(new UncheckedIOException(new ConnectException("Connection refused"))))
                .isEqualTo(Outcome.FAIL);
        assertThat(RULES.of(new IllegalStateException("checkout failed", new SocketException("Connection reset"))))
                .as("trouble talking to it, anywhere in the cause chain").isEqualTo(Outcome.FAIL);
    }

    @Test
    void the_probes_own_trouble_is_error() {
        assertThat(RULES.of(new NoClassDefFoundError("com/acme/ShopClient"))).isEqualTo(Outcome.ERROR);
        assertThat(RULES.of(new ExtensionConfigurationException("needs the configuration parameter 'shop.url'")))
                .isEqualTo(Outcome.ERROR);
        assertThat(RULES.of(new NullPointerException())).isEqualTo(Outcome.ERROR);
        assertThat(RULES.of(new TestAbortedException("not in this region"))).isEqualTo(Outcome.ABORTED);
        assertThat(RULES.of(new TimeoutException("timed out after 5s"))).isEqualTo(Outcome.TIMEOUT);
        assertThat(RULES.of(null)).isEqualTo(Outcome.PASS);
    }

    @Test
    void overrides_by_exception_type_come_first_and_match_subclasses() {
        Map<String, String> config = Map.of(OutcomeRules.FAIL_KEY, " java.lang.IllegalStateException ",
                OutcomeRules.ERROR_KEY, "java.io.FileNotFoundException");
        OutcomeRules rules = OutcomeRules.from(key -> Optional.ofNullable(config.get(key)));

        assertThat(rules.of(new IllegalStateException("shop unavailable"))).isEqualTo(Outcome.FAIL);
        assertThat(rules.of(new UncheckedIOException(new FileNotFoundException("fixture.json"))))
                .as("the probe's own file, though an IOException").isEqualTo(Outcome.ERROR);
        assertThat(rules.of(new ConnectException("Connection refused"))).isEqualTo(Outcome.FAIL);
    }

    @Test
    void an_override_that_is_not_class_names_is_refused_naming_the_key_the_value_and_the_form() {
        assertThatThrownBy(() -> OutcomeRules.from(key -> key.equals(OutcomeRules.ERROR_KEY)
                ? Optional.of("java.io.IOException; oops") : Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid configuration parameter perpetual.outcome.error = [java.io.IOException; oops]: "
                        + "expected fully qualified exception class names separated by commas, such as "
                        + "com.acme.shop.ShopUnavailableException,java.io.UncheckedIOException");
    }
}

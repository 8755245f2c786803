package dev.perpetual.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "[{0}] is {1}")
    @CsvSource(delimiter = '|', value = {
            "30        | PT30S",
            "500ms     | PT0.5S",
            "30s       | PT30S",
            "5m        | PT5M",
            "1h        | PT1H",
            "2d        | PT48H",
            "250us     | PT0.00025S",
            "250μs     | PT0.00025S",
            "10ns      | PT0.00000001S",
            "1h30m     | PT1H30M",
            "1m 30s    | PT1M30S",
            "10 s      | PT10S",
            "1m30s500ms| PT1M30.5S",
            "PT30S     | PT30S",
            "pt1m      | PT1M",
            "' 45s '   | PT45S" })
    void parses_junits_grammar_compound_forms_and_iso8601(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "rejects [{0}]")
    @ValueSource(strings = { "", " ", "s", "30x", "1.5s", "-5s", "5 minutes", "m30", "30s!", "PT", "P1Z",
            "99999999999999999999d" })
    void rejects_anything_else_naming_the_value_and_the_accepted_forms(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[" + text + "] is not a duration such as 500ms, 30s, 5m, 1h, 1h30m or PT30S "
                        + "(units ns, us, ms, s, m, h, d; a bare number means seconds)");
    }

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({ "PT0S, 0s", "PT0.25S, 250ms", "PT0.0015S, 1.5ms", "PT0.00025S, 250us", "PT0.000587166S, 587us", "PT0.0000005S, 500ns", "PT10S, 10s",
            "PT1M30S, 1m30s", "PT1H, 1h", "PT26H, 1d2h", "PT1.5S, 1s500ms" })
    void formats_short_and_readable(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
    }
}

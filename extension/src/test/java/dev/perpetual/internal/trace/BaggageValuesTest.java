package dev.perpetual.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaggageValuesTest {

    @Test
    void leaves_baggage_octets_as_they_are() {
        assertThat(BaggageValues.encode("OwnersE2E.Editing.cityChanges:v2_x-1")).isEqualTo(
                "OwnersE2E.Editing.cityChanges:v2_x-1");
    }

    @Test
    void percent_encodes_delimiters_spaces_quotes_percent_and_non_ascii_as_utf_8() {
        assertThat(BaggageValues.encode("checkout, then pay; \"quickly\"\\%é")).isEqualTo(
                "checkout%2C%20then%20pay%3B%20%22quickly%22%5C%25%C3%A9");
    }

    @Test
    void a_run_trace_recognises_any_span_of_its_own_trace_only() {
        W3cRunTrace trace = W3cRunTrace.start("test", "T.m", "run-1");

        assertThat(trace.isInTrace("00-" + trace.traceId() + "-00f067aa0ba902b7-01")).isTrue();
        assertThat(trace.isInTrace(trace.traceparent())).isTrue();
        assertThat(trace.isInTrace("00-" + "1".repeat(32) + "-00f067aa0ba902b7-01")).isFalse();
        assertThat(trace.isInTrace("garbage")).isFalse();
        assertThat(trace.isInTrace(null)).isFalse();
    }
}

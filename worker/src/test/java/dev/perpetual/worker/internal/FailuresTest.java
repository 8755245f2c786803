package dev.perpetual.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void a_message_over_several_lines_is_one_line_of_its_text() {
        assertThat(Failures.oneLine("\nExpecting actual:\n  \"2 items\"\nto contain:\n  \"3 items\" ", 500))
                .isEqualTo("Expecting actual: \"2 items\" to contain: \"3 items\"");
        assertThat(Failures.oneLine("status ==> expected: <200> but was: <500>", 500))
                .isEqualTo("status ==> expected: <200> but was: <500>");
    }

    @Test
    void a_long_message_is_cut_with_an_ellipsis_and_none_is_empty() {
        assertThat(Failures.oneLine("a".repeat(30) + "\n" + "b".repeat(30), 40)).isEqualTo("a".repeat(30) + " "
                + "b".repeat(8) + "…").hasSize(40);
        assertThat(Failures.oneLine(null, 40)).isEmpty();
        assertThat(Failures.oneLine("\n \n", 40)).isEmpty();
    }
}

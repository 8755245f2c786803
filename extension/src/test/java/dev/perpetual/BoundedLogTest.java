package dev.perpetual;

import static dev.perpetual.TestKit.execute;
import static dev.perpetual.TestKit.failure;
import static dev.perpetual.TestKit.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("O.log, bounded in lines and in bytes")
class BoundedLogTest {

    private static final String CUT_100_KIB_TO_8_KIB = " … (94208 bytes cut) … ";

    @Test
    void a_100_KiB_line_keeps_its_head_and_its_tail_with_how_much_was_cut_between() {
        EngineExecutionResults results = execute(LongLineTestCase.class);

        TestKit.assertAllSucceeded(results);
        assertThat(reportEntries(results, "perpetual.log"))
                .containsExactly("a".repeat(4096) + CUT_100_KIB_TO_8_KIB + "b".repeat(4096));
    }

    @Test
    void a_hundred_100_KiB_lines_keep_the_first_and_the_last_within_256_KiB_and_count_those_between() {
        EngineExecutionResults results = execute(LongLinesTestCase.class);

        TestKit.assertAllSucceeded(results);
        // each line kept is 8 KiB plus its 27-byte marker: 15 fit in the first 128 KiB, 16 in the rest
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 15).mapToObj(BoundedLogTest::cutLine).forEach(expected::add);
        expected.add("… 69 lines (6.7 MiB) left out …");
        IntStream.range(84, 100).mapToObj(BoundedLogTest::cutLine).forEach(expected::add);
        expected.add("69 log lines were left out in all (perpetual.log.max-lines, perpetual.log.max-bytes)");
        assertThat(reportEntries(results, "perpetual.log")).containsExactlyElementsOf(expected);
    }

    @Test
    void sizes_may_be_given_in_KiB_or_MiB() {
        EngineExecutionResults results = execute(LongLineTestCase.class, "perpetual.log.max-line-bytes", "1KiB",
                "perpetual.log.max-bytes", "1 MiB");

        assertThat(reportEntries(results, "perpetual.log"))
                .containsExactly("a".repeat(512) + " … (101376 bytes cut) … " + "b".repeat(512));
    }

    @Test
    void max_bytes_0_keeps_no_line_and_counts_them_all() {
        EngineExecutionResults results = execute(LongLinesTestCase.class, "perpetual.log.max-bytes", "0");

        TestKit.assertAllSucceeded(results);
        assertThat(reportEntries(results, "perpetual.log")).containsExactly(
                "100 log lines were left out in all (perpetual.log.max-lines, perpetual.log.max-bytes)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "perpetual.log.max-lines|-1|Configuration parameter 'perpetual.log.max-lines' has an invalid value [-1]: use "
                + "a whole number of lines, 0 or more (default 1000).",
        "perpetual.log.max-line-bytes|8KB|Configuration parameter 'perpetual.log.max-line-bytes' has an invalid "
                + "value [8KB]: use a size in bytes such as 65536, or a number with KiB, MiB or GiB such as 512KiB "
                + "or 1MiB, 0 or more (default 8 KiB).",
        "perpetual.log.max-bytes|-1|Configuration parameter 'perpetual.log.max-bytes' has an invalid value [-1]: use "
                + "a size in bytes such as 65536, or a number with KiB, MiB or GiB such as 512KiB or 1MiB, 0 or more "
                + "(default 256 KiB).",
        "perpetual.log.max-bytes|1.5MiB|Configuration parameter 'perpetual.log.max-bytes' has an invalid value "
                + "[1.5MiB]: use a size in bytes such as 65536, or a number with KiB, MiB or GiB such as 512KiB or "
                + "1MiB, 0 or more (default 256 KiB)." })
    void an_invalid_limit_fails_the_run_naming_key_value_and_fix(String key, String value, String message) {
        EngineExecutionResults results = execute(LongLineTestCase.class, key, value);

        assertThat(failure(results)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(message);
    }

    @Test
    void the_new_keys_are_known_so_the_daemon_does_not_report_them_as_typos() {
        assertThat(Constants.isKnownKey("perpetual.log.max-line-bytes")).isTrue();
        assertThat(Constants.isKnownKey("perpetual.log.max-bytes")).isTrue();
        assertThat(Constants.knownKeys()).contains(Constants.LOG_MAX_LINES, Constants.LOG_MAX_LINE_BYTES,
                Constants.LOG_MAX_BYTES);
    }

    /** Line {@code i} of {@link LongLinesTestCase}, as kept: its first and last 4 KiB. */
    private static String cutLine(int i) {
        String line = LongLinesTestCase.line(i);
        return line.substring(0, 4096) + CUT_100_KIB_TO_8_KIB + line.substring(line.length() - 4096);
    }

    static class LongLineTestCase {

        @Perpetual(period = "1m")
        void logsOneLongLine(O o) {
            o.log("a".repeat(50 * 1024) + "b".repeat(50 * 1024));
        }
    }

    static class LongLinesTestCase {

        /** 100 KiB, numbered at both ends. */
        static String line(int i) {
            String start = String.format("line %02d ", i);
            String end = String.format(" end %02d", i);
            return start + "x".repeat(100 * 1024 - start.length() - end.length()) + end;
        }

        @Perpetual(period = "1m")
        void logsAHundredLongLines(O o) {
            for (int i = 0; i < 100; i++) {
                o.log(line(i));
            }
        }
    }
}

package dev.perpetual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RunLogTest {

    private static RunLog log(int maxLines, long maxLineBytes, long maxBytes, String... lines) {
        RunLog log = new RunLog(new LogLimits(maxLines, maxLineBytes, maxBytes));
        for (String line : lines) {
            log.add(line);
        }
        return log;
    }

    private static String[] numbered(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("line %04d", i)).toArray(String[]::new);
    }

    @Test
    void keeps_every_line_while_they_all_fit() {
        RunLog log = log(4, 100, 36, numbered(4));

        assertThat(log.lines()).containsExactly(numbered(4));
        assertThat(log.dropped()).isZero();
    }

    @Test
    void past_max_lines_keeps_the_first_half_and_the_latest_and_marks_the_gap() {
        RunLog log = log(5, 100, 1000, numbered(10));

        assertThat(log.lines()).containsExactly("line 0000", "line 0001", "line 0002", "… 5 lines (45 B) left out …",
                "line 0008", "line 0009");
        assertThat(log.dropped()).isEqualTo(5);
    }

    @Test
    void past_max_bytes_keeps_the_first_half_and_the_latest_and_marks_the_gap() {
        RunLog log = log(1000, 100, 40, numbered(10)); // 9 bytes a line: 2 in the first 20 bytes, 2 in the rest

        assertThat(log.lines()).containsExactly("line 0000", "line 0001", "… 6 lines (54 B) left out …",
                "line 0008", "line 0009");
        assertThat(log.dropped()).isEqualTo(6);
    }

    @Test
    void one_line_left_out_is_marked_in_the_singular() {
        assertThat(log(2, 100, 1000, numbered(3)).lines()).containsExactly("line 0000", "… 1 line (9 B) left out …",
                "line 0002");
    }

    @Test
    void the_latest_lines_may_use_what_the_first_left_of_the_budget() {
        RunLog log = log(10, 100, 100, "x".repeat(10), "y".repeat(45), "z".repeat(45));

        assertThat(log.lines()).containsExactly("x".repeat(10), "y".repeat(45), "z".repeat(45));
        assertThat(log.dropped()).isZero();
    }

    @Test
    void a_line_larger_than_what_is_left_for_the_latest_lines_is_left_out_with_those_before_it() {
        RunLog log = log(10, 1000, 100, "a", "b".repeat(80), "c".repeat(120));

        assertThat(log.lines()).containsExactly("a", "… 2 lines (200 B) left out …");
        assertThat(log.dropped()).isEqualTo(2);
    }

    @Test
    void zero_lines_or_zero_bytes_keep_nothing_and_count_everything() {
        assertThat(log(0, 100, 1000, "a", "", "b").lines()).isEmpty();
        assertThat(log(0, 100, 1000, "a", "", "b").dropped()).isEqualTo(3);
        assertThat(log(1000, 100, 0, "a", "", "b").lines()).isEmpty();
        assertThat(log(1000, 100, 0, "a", "", "b").dropped()).isEqualTo(3);
    }

    @Test
    void whatever_a_test_logs_a_run_keeps_about_max_bytes() {
        RunLog log = new RunLog(new LogLimits(1000, 8192, 64 * 1024));
        String line = "x".repeat(100 * 1024);
        for (int i = 0; i < 2000; i++) {
            log.add(line);
        }

        List<String> kept = log.lines();
        long keptBytes = kept.stream().mapToLong(text -> text.getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(keptBytes).isLessThanOrEqualTo(64 * 1024 + 100); // the gap's marker line is not counted
        assertThat(log.dropped()).isEqualTo(2000 - (kept.size() - 1));
        assertThat(kept).contains("… " + log.dropped() + " lines (" + Sizes.format(log.dropped() * 100L * 1024)
                + ") left out …");
    }

    @Test
    void a_long_line_keeps_its_head_and_its_tail_with_how_many_bytes_were_cut() {
        assertThat(LogLine.of("abcdefghij", 4).text()).isEqualTo("ab … (6 bytes cut) … ij");
        assertThat(LogLine.of("abcdefghij", 5).text()).isEqualTo("abc … (5 bytes cut) … ij");
        assertThat(LogLine.of("abcdefghij", 9).text()).isEqualTo("abcde … (1 byte cut) … ghij");
        assertThat(LogLine.of("abcdefghij", 10).text()).isEqualTo("abcdefghij");
        assertThat(LogLine.of("abcdefghij", 0).text()).isEqualTo(" … (10 bytes cut) … ");
    }

    @Test
    void a_line_is_measured_and_cut_in_UTF_8_bytes_without_splitting_a_character() {
        LogLine emoji = LogLine.of("😀".repeat(10), 10); // 4 bytes each: one fits in each half of 10

        assertThat(emoji.text()).isEqualTo("😀 … (32 bytes cut) … 😀");
        assertThat(emoji.loggedBytes()).isEqualTo(40);
        assertThat(emoji.bytes()).isEqualTo(emoji.text().getBytes(StandardCharsets.UTF_8).length);
        assertThat(LogLine.of("éé€€€", 7).text()).isEqualTo("éé … (6 bytes cut) … €");
    }

    @Test
    void cut_lines_are_valid_text_within_the_limit_and_count_the_rest() {
        Random random = new Random(42);
        int[] codePoints = { 'a', 'é', '€', 0x1F600, 0x10FFFF };
        for (int n = 0; n < 2000; n++) {
            StringBuilder line = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                line.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            int max = random.nextInt(50);
            LogLine cut = LogLine.of(line.toString(), max);

            long logged = line.toString().getBytes(StandardCharsets.UTF_8).length;
            assertThat(cut.loggedBytes()).isEqualTo(logged);
            String text = cut.text();
            assertThat(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(text);
            if (logged <= max) {
                assertThat(text).isEqualTo(line.toString());
                continue;
            }
            int markerStart = text.indexOf(" … (");
            int markerEnd = text.indexOf(" cut) … ") + " cut) … ".length();
            String head = text.substring(0, markerStart);
            String tail = text.substring(markerEnd);
            long kept = head.getBytes(StandardCharsets.UTF_8).length + tail.getBytes(StandardCharsets.UTF_8).length;
            assertThat(line.toString()).startsWith(head).endsWith(tail);
            assertThat(kept).isLessThanOrEqualTo(max);
            assertThat(text.substring(markerStart, markerEnd)).contains("(" + (logged - kept) + " byte");
        }
    }

    @Test
    void bytes_are_counted_as_String_getBytes_encodes_them_lone_surrogates_included() {
        Random random = new Random(7);
        for (int n = 0; n < 2000; n++) {
            char[] chars = new char[random.nextInt(20)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (random.nextBoolean() ? 0xD800 + random.nextInt(0x800) : random.nextInt(0x10000));
            }
            String text = new String(chars);

            assertThat(LogLine.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}

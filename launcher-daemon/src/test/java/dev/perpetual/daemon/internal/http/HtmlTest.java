package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlTest {

    private static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-04T10:30:00Z", "2026-01-09T03:04:05.999Z", "1999-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z", "0999-06-01T00:00:00Z", "+10000-01-01T00:00:00Z"})
    void aTimeReadsAsTheFormatterWritesIt(String text) {
        Instant instant = Instant.parse(text);

        assertThat(Html.time(instant)).isEqualTo(FORMATTER.format(instant));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.04, 0.05, 0.35, 0.94, 0.96, 0.999, 1, 1.5, 999.4, 999.6, 1000, 1049.9, 1050,
            12_345.6, 59_949, 59_999})
    void aDurationReadsAsItDidWithAFormatter(double millis) {
        String expected = millis < 1 ? String.format(Locale.ROOT, "%.1f ms", millis)
                : millis < 1000 ? Math.round(millis) + " ms"
                : String.format(Locale.ROOT, "%.1f s", millis / 1000);

        assertThat(Html.duration(millis)).isEqualTo(expected);
    }

    @Test
    void textIsEscapedOnlyWhereItMustBe() {
        assertThat(Html.escape("load.c00.m0 · 1 ms")).isEqualTo("load.c00.m0 · 1 ms");
        assertThat(Html.escape("a<b & \"c\" 'd'>")).isEqualTo("a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assertThat(Html.escape(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"load.c00.m0", "Shop.checkout()", "a b/c", "r-1f2e", "naïve~x", "A*_-.9"})
    void aSegmentIsWhatTheUrlEncoderWrites(String text) {
        assertThat(Html.segment(text)).isEqualTo(URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
    }
}

package dev.perpetual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({ "0, 0", "65536, 65536", "64KiB, 65536", "1 MiB, 1048576", "' 2GiB ', 2147483648" })
    void a_size_is_bytes_or_a_number_with_KiB_MiB_or_GiB(String text, long bytes) {
        assertThat(Sizes.parse(text)).hasValue(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "KiB", "-1", "1.5MiB", "8KB", "8kib", "1234567890", "1e6" })
    void anything_else_is_not_a_size(String text) {
        assertThat(Sizes.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({ "0, 0 B", "1023, 1023 B", "1024, 1 KiB", "1536, 1.5 KiB", "8192, 8 KiB", "7065600, 6.7 MiB",
        "3221225472, 3 GiB" })
    void sizes_are_written_for_people(long bytes, String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
    }
}

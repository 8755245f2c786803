package dev.perpetual.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonPointer;
import com.sun.net.httpserver.Headers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code json:<pointer>} finds scalars anywhere and stops at the key. */
class JsonKeyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "/id|{\"id\":\"k-1\"}|k-1",
        "/id|{\"skip\":{\"id\":\"no\",\"a\":[1,{\"id\":2}]},\"id\":\"k-2\"}|k-2",
        "/id|{\"id\":42}|42",
        "/id|{\"id\":true}|true",
        "/id|{\"id\":null}|NONE",
        "/id|{\"id\":{\"nested\":1}}|NONE",
        "/id|{\"other\":1}|NONE",
        "/id|[1,2]|NONE",
        "/id||NONE",
        "/id|{\"id\":\"k-3\", this part is never parsed|k-3",
        "/data/order/ref|{\"data\":{\"order\":{\"ref\":\"o-1\"}}}|o-1",
        "/items/1/sku|{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}|b",
        "/items/2/sku|{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}|NONE",
        "/a~1b|{\"a/b\":\"slash\"}|slash" })
    void extracts_the_scalar_at_the_pointer(String pointer, String body, String key) {
        JsonKey extractor = new JsonKey(JsonPointer.compile(pointer));

        assertThat(extractor.extract(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
                new Headers())).isEqualTo(key);
    }
}

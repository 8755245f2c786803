package dev.perpetual.internal.webhook;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.Headers;

/**
 * {@code json:<JSON pointer>}: the scalar at the pointer. Streams the body with Jackson's parser and stops at the
 * key, skipping every sibling subtree unread; bytes after the key are never parsed. Numbers and booleans count as
 * their text ({@code {"id": 42}} has key {@code 42}).
 */
final class JsonKey extends KeyExtractor {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final JsonPointer pointer;

    JsonKey(JsonPointer pointer) {
        this.pointer = pointer;
    }

    @Override
    String extract(byte[] body, Headers headers) {
        try (JsonParser parser = JSON.createParser(body)) {
            return find(parser);
        }
        catch (IOException e) {
            return null;
        }
    }

    @Override
    String whyNoKey(byte[] body, Headers headers) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (find(parser) == null) {
                return "no string or number at JSON pointer " + pointer;
            }
            return "no key";
        }
        catch (JsonProcessingException e) {
            return "invalid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("") + " at byte "
                    + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset());
        }
        catch (IOException e) {
            return "unreadable body: " + e;
        }
    }

    private String find(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        JsonPointer at = pointer;
        while (!at.matches()) {
            if (token == JsonToken.START_OBJECT) {
                token = enterProperty(parser, at.getMatchingProperty());
            }
            else if (token == JsonToken.START_ARRAY) {
                token = enterElement(parser, at.getMatchingIndex());
            }
            else {
                return null;
            }
            if (token == null) {
                return null;
            }
            at = at.tail();
        }
        return token != null && token.isScalarValue() && token != JsonToken.VALUE_NULL ? parser.getText() : null;
    }

    /** Moves to the value of {@code name} in the current object; {@code null} when it has none. */
    private static JsonToken enterProperty(JsonParser parser, String name) throws IOException {
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            boolean match = name.equals(parser.currentName());
            JsonToken value = parser.nextToken();
            if (match) {
                return value;
            }
            parser.skipChildren();
        }
        return null;
    }

    /** Moves to element {@code index} of the current array; {@code null} when it has none. */
    private static JsonToken enterElement(JsonParser parser, int index) throws IOException {
        if (index < 0) {
            return null;
        }
        int position = 0;
        for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY;
                token = parser.nextToken()) {
            if (position++ == index) {
                return token;
            }
            parser.skipChildren();
        }
        return null;
    }
}

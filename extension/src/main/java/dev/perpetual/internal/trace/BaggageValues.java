package dev.perpetual.internal.trace;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes baggage values as the W3C Baggage specification asks: UTF-8, and every octet outside its
 * {@code baggage-octet} set (controls, space, {@code "}, {@code ,}, {@code ;}, {@code \}, {@code %} and non-ASCII)
 * as {@code %XX}.
 */
final class BaggageValues {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private BaggageValues() {
    }

    static String encode(String value) {
        if (isPlain(value)) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int octet = b & 0xff;
            if (isBaggageOctet(octet)) {
                encoded.append((char) octet);
            }
            else {
                encoded.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xf]);
            }
        }
        return encoded.toString();
    }

    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isBaggageOctet(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E}, less {@code %} (so a literal one is encoded). */
    private static boolean isBaggageOctet(int c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x2B && c != '%') || (c >= 0x2D && c <= 0x3A)
                || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    }
}

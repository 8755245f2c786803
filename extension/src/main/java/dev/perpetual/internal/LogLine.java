package dev.perpetual.internal;

/**
 * One logged line as a run keeps it, measured in UTF-8 bytes: a line longer than the limit keeps its head and its
 * tail, half the limit each, with {@code " … (N bytes cut) … "} between them. A surrogate pair is never split.
 *
 * @param text        the line as kept
 * @param bytes       the UTF-8 bytes of {@code text}
 * @param loggedBytes the UTF-8 bytes of the line as logged
 */
record LogLine(String text, long bytes, long loggedBytes) {

    /** {@code line}, cut when it is longer than {@code maxBytes} UTF-8 bytes. */
    static LogLine of(String line, long maxBytes) {
        long logged = utf8Length(line);
        if (logged <= maxBytes) {
            return new LogLine(line, logged, logged);
        }
        long headBytes = 0;
        int headEnd = 0;
        while (headEnd < line.length()) {
            int width = utf8Width(line, headEnd);
            if (headBytes + width > maxBytes - maxBytes / 2) {
                break;
            }
            headBytes += width;
            headEnd += chars(width);
        }
        long tailBytes = 0;
        int tailStart = line.length();
        while (tailStart > headEnd) {
            int start = Character.isLowSurrogate(line.charAt(tailStart - 1)) && tailStart - 2 >= headEnd
                    && Character.isHighSurrogate(line.charAt(tailStart - 2)) ? tailStart - 2 : tailStart - 1;
            int width = utf8Width(line, start);
            if (tailBytes + width > maxBytes / 2) {
                break;
            }
            tailBytes += width;
            tailStart = start;
        }
        long cut = logged - headBytes - tailBytes;
        String text = line.substring(0, headEnd) + " … (" + cut + (cut == 1 ? " byte" : " bytes") + " cut) … "
                + line.substring(tailStart);
        return new LogLine(text, utf8Length(text), logged);
    }

    /** The UTF-8 bytes of {@code text}, as {@link String#getBytes} encodes it (a lone surrogate as {@code ?}). */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length();) {
            int width = utf8Width(text, i);
            bytes += width;
            i += chars(width);
        }
        return bytes;
    }

    /** The UTF-8 bytes of the code point at {@code i}; 4 for a surrogate pair, which spans two chars. */
    private static int utf8Width(String text, int i) {
        char c = text.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return 4;
        }
        return Character.isSurrogate(c) ? 1 : 3;
    }

    /** How many chars a code point of {@code width} UTF-8 bytes spans. */
    private static int chars(int width) {
        return width == 4 ? 2 : 1;
    }
}

package dev.perpetual.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The lines one run logged, bounded in number and in UTF-8 bytes, so a test that floods its log cannot exhaust
 * memory. Each line is cut to {@link LogLimits#maxLineBytes()} ({@link LogLine}). Past {@link LogLimits#maxLines()}
 * or {@link LogLimits#maxBytes()}, the run keeps its first lines, within half of each budget, and a rolling tail
 * of its latest lines within the rest; the lines between are counted, and one marker line stands in their place.
 * Nothing is left out while everything fits.
 */
final class RunLog {

    private final LogLimits limits;
    private final int maxLines;
    private final List<LogLine> head = new ArrayList<>();
    private final Deque<LogLine> tail = new ArrayDeque<>();
    private boolean headClosed;
    private long headBytes;
    private long tailBytes;
    private int dropped;
    private long droppedBytes;

    RunLog(LogLimits limits) {
        this.limits = limits;
        this.maxLines = limits.maxBytes() == 0 ? 0 : limits.maxLines(); // no bytes: not even empty lines
    }

    void add(String text) {
        keep(LogLine.of(text, limits.maxLineBytes())); // measured and cut outside the lock
    }

    private synchronized void keep(LogLine line) {
        if (!headClosed && head.size() < maxLines - maxLines / 2
                && headBytes + line.bytes() <= limits.maxBytes() - limits.maxBytes() / 2) {
            head.add(line);
            headBytes += line.bytes();
            return;
        }
        headClosed = true; // the head stays the run's first lines
        tail.addLast(line);
        tailBytes += line.bytes();
        while (!tail.isEmpty() && (tail.size() > maxLines - head.size()
                || tailBytes > limits.maxBytes() - headBytes)) {
            LogLine out = tail.removeFirst();
            tailBytes -= out.bytes();
            dropped++;
            droppedBytes += out.loggedBytes();
        }
    }

    /** The lines kept, in order; where lines were left out between the first and the last, one marker line. */
    synchronized List<String> lines() {
        List<String> lines = new ArrayList<>(head.size() + 1 + tail.size());
        head.forEach(line -> lines.add(line.text()));
        if (dropped > 0 && !(head.isEmpty() && tail.isEmpty())) {
            lines.add("… " + dropped + (dropped == 1 ? " line (" : " lines (") + Sizes.format(droppedBytes)
                    + ") left out …");
        }
        tail.forEach(line -> lines.add(line.text()));
        return List.copyOf(lines);
    }

    /** How many lines were logged but not kept. */
    synchronized int dropped() {
        return dropped;
    }
}

package dev.perpetual.internal;

import java.util.ArrayList;
import java.util.List;

/** The lines one run logged, bounded so a test that floods its log cannot exhaust memory. */
final class RunLog {

    private final int maxLines;
    private final List<String> lines = new ArrayList<>();
    private int dropped;

    RunLog(int maxLines) {
        this.maxLines = maxLines;
    }

    synchronized void add(String line) {
        if (lines.size() < maxLines) {
            lines.add(line);
        }
        else {
            dropped++;
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized int dropped() {
        return dropped;
    }
}

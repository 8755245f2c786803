package dev.perpetual.daemon.internal.workers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tests each incident (a worker that ended, or was recycled for stuck threads) counts against, within
 * {@link #WINDOW}. An incident whose cause is known (the {@code System.exit} caller, or the only test whose run the
 * worker held) proves its test. One with several suspects and no known cause (a {@code Runtime.halt}, a native crash,
 * running out of heap) counts against those of its suspects proven within the window, or, when none is, against every
 * suspect. When a test is proven, the incidents it shared within the window are withdrawn from its unproven
 * co-suspects: they count against the proven test only. Times are given by the caller.
 */
final class Blame {

    static final Duration WINDOW = Duration.ofHours(1);

    private final int after;
    private final Deque<Incident> incidents = new ArrayDeque<>();
    /** Each proven test and when it last was: proven within {@link #WINDOW}, or ever. */
    private final Map<String, Instant> proven = new HashMap<>();

    /** {@code after}: how many incidents within {@link #WINDOW} isolate a test ({@code quarantine-after}). */
    Blame(int after) {
        this.after = after;
    }

    /**
     * What one incident changed.
     *
     * @param counted  the tests it counts against
     * @param reached  those of them that now have {@code after} incidents or more within the window
     * @param cleared  the co-suspects of the proven test that incidents were withdrawn from, never proven, and now
     *                 below {@code after}, with how many incidents were withdrawn from each
     */
    record Verdict(List<String> counted, Set<String> reached, Map<String, Integer> cleared) {
    }

    /**
     * An incident at {@code now}: {@code suspects} are the tests whose runs the worker held (or whose threads were
     * stuck), each once; {@code culprit} is the one known to have caused it, or null when it cannot be told.
     */
    synchronized Verdict incident(Instant now, List<String> suspects, String culprit) {
        prune(now);
        Incident incident;
        Map<String, Integer> cleared = Map.of();
        if (culprit != null) {
            incident = new Incident(now, Set.of(culprit), new LinkedHashSet<>(List.of(culprit)));
            proven.put(culprit, now);
            cleared = exonerate(culprit, now);
        }
        else {
            Set<String> all = new LinkedHashSet<>(suspects);
            Set<String> known = new LinkedHashSet<>();
            for (String suspect : all) {
                if (provenWithin(suspect, now)) {
                    known.add(suspect);
                }
            }
            incident = new Incident(now, all, known.isEmpty() ? new LinkedHashSet<>(all) : known);
        }
        if (incident.against.isEmpty()) {
            return new Verdict(List.of(), Set.of(), Map.of());
        }
        incidents.addLast(incident);
        Set<String> reached = new LinkedHashSet<>();
        for (String test : incident.against) {
            if (count(test, now) >= after) {
                reached.add(test);
            }
        }
        return new Verdict(List.copyOf(incident.against), reached, cleared);
    }

    /** How many incidents within the window before {@code now} count against {@code test}. */
    synchronized int count(String test, Instant now) {
        Instant oldest = now.minus(WINDOW);
        int count = 0;
        for (Incident incident : incidents) {
            count += !incident.at.isBefore(oldest) && incident.against.contains(test) ? 1 : 0;
        }
        return count;
    }

    /** Whether {@code test} was ever proven to end or wedge its worker. */
    synchronized boolean proven(String test) {
        return proven.containsKey(test);
    }

    /** Withdraws the incidents {@code culprit} shared from its unproven co-suspects; those now below {@code after}. */
    private Map<String, Integer> exonerate(String culprit, Instant now) {
        Map<String, Integer> withdrawn = new LinkedHashMap<>();
        for (Incident incident : incidents) {
            if (incident.suspects.size() < 2 || !incident.suspects.contains(culprit)) {
                continue;
            }
            incident.against.add(culprit);
            for (String other : new ArrayList<>(incident.against)) {
                if (!other.equals(culprit) && !provenWithin(other, now)) {
                    incident.against.remove(other);
                    withdrawn.merge(other, 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> cleared = new LinkedHashMap<>();
        withdrawn.forEach((test, count) -> {
            if (!proven.containsKey(test) && count(test, now) < after) {
                cleared.put(test, count);
            }
        });
        return cleared;
    }

    private boolean provenWithin(String test, Instant now) {
        Instant last = proven.get(test);
        return last != null && !last.isBefore(now.minus(WINDOW));
    }

    private void prune(Instant now) {
        Instant oldest = now.minus(WINDOW);
        while (!incidents.isEmpty() && incidents.peekFirst().at.isBefore(oldest)) {
            incidents.removeFirst();
        }
    }

    /** One incident: its suspects, and those it counts against (fewer once some are exonerated). */
    private record Incident(Instant at, Set<String> suspects, Set<String> against) {
    }
}

package dev.perpetual.daemon.internal.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.perpetual.daemon.internal.records.Views;

/**
 * The part of a daemon's tests that one answer shows, so that {@code /api/tests} and {@code /status} stay small with
 * thousands of tests: those matching a search ({@code q}: a part of the name, class or display name, any case),
 * from {@code offset}, at most {@code limit}.
 *
 * @param shown    the tests shown
 * @param matching how many match the search
 * @param total    how many tests the daemon has
 * @param query    the search, or null
 * @param offset   how many matching tests come before the first shown
 * @param limit    the most shown
 * @param counts   the states of all the tests, whatever the search
 */
record TestsPage(List<Views.TestView> shown, int matching, int total, String query, int offset, int limit,
        Counts counts) {

    /** How many of all the tests fail, pass, have not run yet, are disabled. */
    record Counts(int failing, int passing, int waiting, int disabled) {
    }

    /** The most tests {@code /api/tests} lists unless {@code limit} says otherwise: {@value}. */
    static final int API_LIMIT = 500;

    /** The most tests {@code /status} shows: {@value}, failing ones first; a search finds the others. */
    static final int STATUS_LIMIT = 200;

    /** Failing first, then not run yet, then passing, then disabled; discovery order within each. */
    static final Comparator<Views.TestView> FAILING_FIRST = Comparator.comparingInt(TestsPage::rank);

    static TestsPage of(List<Views.TestView> all, String query, int offset, int limit,
            Comparator<Views.TestView> order) {
        String needle = query == null || query.isBlank() ? null : query.strip().toLowerCase(Locale.ROOT);
        List<Views.TestView> matching = new ArrayList<>();
        int[] states = new int[4];
        for (Views.TestView test : all) {
            states[rank(test)]++;
            if (needle == null || matches(test, needle)) {
                matching.add(test);
            }
        }
        if (order != null) {
            matching.sort(order); // stable: discovery order among equals
        }
        int from = Math.min(Math.max(0, offset), matching.size());
        int to = (int) Math.min(matching.size(), (long) from + Math.max(0, limit));
        return new TestsPage(List.copyOf(matching.subList(from, to)), matching.size(), all.size(),
                needle == null ? null : query.strip(), from, limit,
                new Counts(states[0], states[2], states[1], states[3]));
    }

    /** Whether some tests that match are not shown. */
    boolean cut() {
        return shown.size() < matching;
    }

    private static boolean matches(Views.TestView test, String needle) {
        return contains(test.name(), needle) || contains(test.testClass(), needle)
                || contains(test.displayName(), needle);
    }

    private static boolean contains(String text, String needle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
    }

    private static int rank(Views.TestView test) {
        if (!test.enabled()) {
            return 3;
        }
        return test.lastSuccess() == null ? 1 : test.lastSuccess() ? 2 : 0;
    }
}

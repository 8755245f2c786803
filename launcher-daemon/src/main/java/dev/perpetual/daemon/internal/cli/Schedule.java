package dev.perpetual.daemon.internal.cli;

import java.util.Locale;

import dev.perpetual.daemon.internal.Catalog;
import dev.perpetual.daemon.internal.records.ScheduledTest;
import dev.perpetual.spi.Durations;

/** {@code --list}: the schedule as a table, then the selected tests that are not perpetual. */
final class Schedule {

    private Schedule() {
    }

    static String render(Catalog catalog) {
        int width = "TEST".length();
        for (ScheduledTest test : catalog.scheduled()) {
            width = Math.max(width, test.name().length());
        }
        for (ScheduledTest test : catalog.disabled()) {
            width = Math.max(width, test.name().length());
        }
        String row = "%-" + width + "s  %-8s  %-8s  %-7s  %-7s  %-13s  %s%n";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, row, "TEST", "PERIOD", "TIMEOUT",
                "OVERLAP", "RETRIES", "WHILE-FAILING", "STATUS"));
        for (ScheduledTest test : catalog.scheduled()) {
            text.append(row(row, test, "scheduled"));
        }
        for (ScheduledTest test : catalog.disabled()) {
            text.append(row(row, test, "disabled (" + test.disabledReason() + ")"));
        }
        if (!catalog.notPerpetual().isEmpty()) {
            text.append(String.format("%nNot perpetual (selected, never run by the daemon):%n"));
            catalog.notPerpetual().forEach(name -> text.append("  ").append(name).append(System.lineSeparator()));
        }
        return text.toString().stripTrailing();
    }

    private static String row(String format, ScheduledTest test, String status) {
        return String.format(Locale.ROOT, format, test.name(), Durations.format(test.period()),
                Durations.format(test.timeout()), test.overlap().name().toLowerCase(Locale.ROOT), test.retries(),
                test.periodWhileFailing().map(Durations::format).orElse("-"), status);
    }
}

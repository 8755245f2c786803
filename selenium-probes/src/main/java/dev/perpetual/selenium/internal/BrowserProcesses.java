package dev.perpetual.selenium.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds and ends the chromium and chromedriver processes that belong to one directory. Every process the pool
 * starts names a path under its directory on its command line ({@code --user-data-dir} for chromium,
 * {@code --log-path} for chromedriver), so a process can be traced to its owner even after its parent died.
 */
final class BrowserProcesses {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private BrowserProcesses() {
    }

    /** The live processes whose command line mentions {@code directory}. */
    static List<ProcessHandle> under(Path directory) {
        String marker = directory.toAbsolutePath().toString();
        return all().filter(process -> commandLine(process).contains(marker)).toList();
    }

    /** The main chromium process of {@code profile} (the one without a {@code --type=} switch), if running. */
    static List<ProcessHandle> browserMain(Path profile) {
        return under(profile).stream()
                .filter(process -> !commandLine(process).contains("--type="))
                .filter(process -> !commandLine(process).contains("chromedriver"))
                .toList();
    }

    /** Kills every process under {@code directory} and waits for them to exit. */
    static void kill(Path directory) {
        kill(under(directory));
    }

    static void kill(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (Exception e) {
                // Still listed: the caller's next look will find it.
            }
        }
    }

    /** Every live process, with its full command line readable. */
    static Stream<ProcessHandle> all() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive);
    }

    /** The process's command line, or empty when it cannot be read (another user's, or a zombie). */
    static String commandLine(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        String command = info.command().orElse("");
        String[] arguments = info.arguments().orElse(new String[0]);
        return command + " " + String.join(" ", arguments);
    }

    /** Proportional set size of {@code processes}, in bytes, from {@code /proc/<pid>/smaps_rollup} (Linux). */
    static long pss(List<ProcessHandle> processes) {
        long total = 0;
        for (ProcessHandle process : processes) {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()),
                        "smaps_rollup"));
                for (String line : lines) {
                    if (line.startsWith("Pss:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            }
            catch (java.io.IOException | RuntimeException e) {
                // The process exited while being measured.
            }
        }
        return total;
    }
}

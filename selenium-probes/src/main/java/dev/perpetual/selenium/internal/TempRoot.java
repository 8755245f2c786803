package dev.perpetual.selenium.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The module's own directory for browser profiles and driver logs: {@code <java.io.tmpdir>/perpetual-selenium}.
 * Each JVM works in {@code jvm-<pid>/}, so the browsers of a JVM that died (even by {@code kill -9}) can be told
 * from those of a JVM still running, and swept at the next start.
 */
final class TempRoot {

    private static final Pattern OWNER = Pattern.compile("jvm-(\\d+)");

    private final Path root;
    private final Path mine;
    private final AtomicInteger browsers = new AtomicInteger();

    TempRoot(Path root) {
        this.root = root.toAbsolutePath();
        this.mine = this.root.resolve("jvm-" + ProcessHandle.current().pid());
    }

    static TempRoot standard() {
        return new TempRoot(Path.of(System.getProperty("java.io.tmpdir"), "perpetual-selenium"));
    }

    Path root() {
        return root;
    }

    /** A new, empty directory for one browser of this JVM. */
    Path newBrowserDirectory() {
        Path directory = mine.resolve("browser-" + browsers.incrementAndGet());
        try {
            deleteRecursively(directory);
            return Files.createDirectories(directory);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create the browser directory [" + directory + "]; set "
                    + "java.io.tmpdir to a writable directory", e);
        }
    }

    /** This JVM's directory, deleted with everything in it when the pool closes. */
    Path mine() {
        return mine;
    }

    /**
     * Kills the processes left behind by JVMs that are gone, and deletes their directories.
     *
     * @return the processes killed
     */
    List<ProcessHandle> sweepOrphans() {
        String prefix = root + "/jvm-";
        List<ProcessHandle> orphans = BrowserProcesses.all()
                .filter(process -> orphaned(BrowserProcesses.commandLine(process), prefix))
                .toList();
        BrowserProcesses.kill(orphans);
        if (Files.isDirectory(root)) {
            try (Stream<Path> owners = Files.list(root)) {
                owners.filter(directory -> ownerPid(directory.getFileName().toString()).map(TempRoot::gone)
                        .orElse(false)).forEach(TempRoot::deleteQuietly);
            }
            catch (IOException e) {
                // Left for the next sweep.
            }
        }
        return orphans;
    }

    private static boolean orphaned(String commandLine, String prefix) {
        int at = commandLine.indexOf(prefix);
        if (at < 0) {
            return false;
        }
        Matcher owner = OWNER.matcher(commandLine.substring(at + prefix.length() - "jvm-".length()));
        return owner.lookingAt() && gone(Long.parseLong(owner.group(1)));
    }

    private static Optional<Long> ownerPid(String name) {
        Matcher owner = OWNER.matcher(name);
        return owner.matches() ? Optional.of(Long.parseLong(owner.group(1))) : Optional.empty();
    }

    /** Whether the JVM that owned a directory is gone: not running, or its pid now belongs to something else. */
    private static boolean gone(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return false;
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(process -> !process.info().command().orElse("java").contains("java"))
                .orElse(true);
    }

    private static final int DELETE_ATTEMPTS = 10;
    private static final long DELETE_PAUSE_MILLIS = 100;

    static void deleteQuietly(Path directory) {
        // Chromium's crash handler, which names no profile on its command line, can write into the folder for a
        // moment after the browser died: a few tries, a short pause apart, then the next sweep's turn.
        for (int attempt = 0; attempt < DELETE_ATTEMPTS && Files.exists(directory); attempt++) {
            try {
                deleteRecursively(directory);
            }
            catch (IOException | UncheckedIOException e) {
                // retried below
            }
            if (Files.exists(directory)) {
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(DELETE_PAUSE_MILLIS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

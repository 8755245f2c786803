package dev.perpetual.selenium.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;

/**
 * Saves what a failed browser run leaves behind under {@code <dir>/<test>/<runId>/}: {@code screenshot.png},
 * {@code page.html}, {@code console.log} and {@code network.log}; then keeps only the newest {@code keep} runs of
 * the test.
 */
final class FailureArtifacts {

    static final String SCREENSHOT = "screenshot.png";
    static final String PAGE = "page.html";
    static final String CONSOLE = "console.log";
    static final String NETWORK = "network.log";

    private final Path directory;
    private final int keep;

    FailureArtifacts(Path directory, int keep) {
        this.directory = directory;
        this.keep = keep;
    }

    /**
     * Saves the run's artifacts; those that cannot be captured (a crashed browser takes no screenshot) are
     * skipped and reported in {@code problems}.
     *
     * @return the run's folder
     */
    Path save(BrowserRun run, boolean browserAlive, List<Throwable> problems) throws IOException {
        Path folder = directory.resolve(safe(run.identity().name())).resolve(safe(run.identity().runId()));
        Files.createDirectories(folder);
        write(folder.resolve(CONSOLE), run.recorder().consoleLog());
        write(folder.resolve(NETWORK), run.recorder().networkLog());
        if (browserAlive) {
            try {
                BrowsingContext tab = new BrowsingContext(run.browser().driver(), run.tabId());
                Files.write(folder.resolve(SCREENSHOT), Base64.getDecoder().decode(tab.captureScreenshot()));
            }
            catch (RuntimeException e) {
                problems.add(e);
            }
            try {
                write(folder.resolve(PAGE), run.browser().driver().getPageSource());
            }
            catch (RuntimeException e) {
                problems.add(e);
            }
        }
        Files.setLastModifiedTime(folder, FileTime.fromMillis(System.currentTimeMillis()));
        prune(folder.getParent());
        return folder;
    }

    /** Deletes all but the newest {@code keep} run folders of one test. */
    void prune(Path testFolder) throws IOException {
        List<Path> runs;
        try (Stream<Path> children = Files.list(testFolder)) {
            runs = new ArrayList<>(children.filter(Files::isDirectory).toList());
        }
        runs.sort(Comparator.comparing(FailureArtifacts::modified).reversed());
        for (Path old : runs.subList(Math.min(keep, runs.size()), runs.size())) {
            TempRoot.deleteQuietly(old);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        }
        catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A name safe as one path segment. */
    static String safe(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }
}

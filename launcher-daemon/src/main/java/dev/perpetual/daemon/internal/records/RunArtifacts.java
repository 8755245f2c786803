package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.perpetual.Constants;
import dev.perpetual.worker.internal.Secrets;
import org.apiguardian.api.API;

/**
 * The browser artifacts of runs, as selenium-probes' pool writes them: {@code <perpetual.artifacts.dir>/<test>/<runId>/}
 * holding {@value #SCREENSHOT}, {@value #PAGE}, {@value #CONSOLE} and {@value #NETWORK}. Only those files, in the
 * folder of a run whose record names it, inside the artifacts folder, and never through a symbolic link, are ever
 * read or rewritten: a record cannot point the daemon at any other file. Pruning stays the pool's
 * ({@value Constants#ARTIFACTS_KEEP}).
 */
@API(status = INTERNAL, since = "0.1")
public final class RunArtifacts {

    public static final String SCREENSHOT = "screenshot.png";
    public static final String PAGE = "page.html";
    public static final String CONSOLE = "console.log";
    public static final String NETWORK = "network.log";

    /** The files the pool writes, in the order the run page lists them. */
    public static final List<String> FILES = List.of(SCREENSHOT, PAGE, CONSOLE, NETWORK);

    /** The files written as text, which hold what the page showed and logged: scrubbed of secrets. */
    static final Set<String> TEXT = Set.of(PAGE, CONSOLE, NETWORK);

    /** selenium-probes' default of {@value Constants#ARTIFACTS_DIR}, relative to the worker's (the daemon's) folder. */
    static final String DIR_DEFAULT = "target/perpetual-artifacts";

    private final Path root;

    RunArtifacts(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The artifacts under {@value Constants#ARTIFACTS_DIR} of {@code config}. */
    public static RunArtifacts of(Function<String, Optional<String>> config) {
        return new RunArtifacts(Path.of(config.apply(Constants.ARTIFACTS_DIR).map(String::strip)
                .filter(dir -> !dir.isEmpty()).orElse(DIR_DEFAULT)));
    }

    /** Whether {@code name} is a file the pool writes (and so may be served). */
    public static boolean isArtifact(String name) {
        return FILES.contains(name);
    }

    /** The run's file {@code name}, if the pool wrote it and it is still there (not pruned). */
    public Optional<Path> file(RunRecord record, String name) {
        if (!isArtifact(name)) {
            return Optional.empty();
        }
        return folder(record).map(folder -> folder.resolve(name))
                .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
    }

    /** The artifacts of the run still there, in {@link #FILES}' order. */
    public List<String> present(RunRecord record) {
        return FILES.stream().filter(name -> file(record, name).isPresent()).toList();
    }

    /** Whether the text file {@code name} is to be scrubbed of secrets. */
    public static boolean isText(String name) {
        return TEXT.contains(name);
    }

    /**
     * Replaces the secrets in the run's text artifacts, in place, so that a copy taken off the host holds none
     * either. A file that cannot be rewritten is left as it is: it is scrubbed again when served.
     */
    void scrub(RunRecord record, Secrets secrets) {
        if (secrets.size() == 0 || record.artifacts() == null) {
            return;
        }
        for (String name : TEXT) {
            Optional<Path> file = file(record, name);
            if (file.isEmpty()) {
                continue;
            }
            try {
                String text = Files.readString(file.get(), StandardCharsets.UTF_8);
                String scrubbed = secrets.scrub(text);
                if (!scrubbed.equals(text)) {
                    Files.writeString(file.get(), scrubbed, StandardCharsets.UTF_8);
                }
            }
            catch (IOException | RuntimeException e) {
                // served scrubbed all the same
            }
        }
    }

    /**
     * The run's folder when it is {@code <root>/<test folder>/<runId>}, a real folder reached through no symbolic
     * link; empty for any other path a record may carry.
     */
    private Optional<Path> folder(RunRecord record) {
        if (record.artifacts() == null) {
            return Optional.empty();
        }
        try {
            Path folder = Path.of(record.artifacts()).toAbsolutePath().normalize();
            Path testFolder = folder.getParent();
            if (testFolder == null || !root.equals(testFolder.getParent())
                    || !folder.getFileName().toString().equals(record.runId())
                    || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                    || !folder.toRealPath().equals(root.toRealPath().resolve(testFolder.getFileName())
                            .resolve(folder.getFileName()))) {
                return Optional.empty();
            }
            return Optional.of(folder);
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

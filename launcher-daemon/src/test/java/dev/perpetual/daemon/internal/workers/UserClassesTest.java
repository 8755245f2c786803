package dev.perpetual.daemon.internal.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserClassesTest {

    @TempDir
    Path bundle;

    @Test
    void a_folder_wildcard_takes_every_jar_in_it_in_name_order_as_java_does() throws IOException {
        Files.createFile(bundle.resolve("b.jar"));
        Files.createFile(bundle.resolve("a.jar"));
        Files.createFile(bundle.resolve("notes.txt"));
        Files.createDirectory(bundle.resolve("classes"));
        List<String> problems = new ArrayList<>();

        try (UserClasses classes = UserClasses.of(List.of(bundle + File.separator + "*" + File.pathSeparator
                + bundle.resolve("classes")), problems)) {
            assertThat(problems).isEmpty();
            assertThat(classes.scanRoots()).containsExactly(bundle.resolve("a.jar"), bundle.resolve("b.jar"),
                    bundle.resolve("classes"));
        }
    }

    @Test
    void a_wildcard_that_is_not_a_folder_or_matches_no_jar_is_a_problem_naming_it() throws IOException {
        List<String> problems = new ArrayList<>();

        try (UserClasses classes = UserClasses.of(List.of(bundle + File.separator + "*", bundle + "/lib*"),
                problems)) {
            assertThat(problems).containsExactly(
                    "Class path entry [" + bundle + File.separator + "*] matches no jar in [" + bundle + "].",
                    "Class path entry [" + bundle + "/lib*] is not a folder followed by '*': write dir/* for every "
                            + "jar in a folder that exists.");
        }
    }
}

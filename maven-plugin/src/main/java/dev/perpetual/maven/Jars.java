package dev.perpetual.maven;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Jars of a folder of classes and resources, with the JDK's {@link JarOutputStream}: entries in name order. */
final class Jars {

    private Jars() {
    }

    static boolean hasFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.anyMatch(Files::isRegularFile);
        }
    }

    /** Writes every file under {@code folder} into the jar {@code jar}, with a manifest of its own. */
    static void pack(Path folder, Path jar) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.filter(path -> !path.equals(folder)).sorted().toList();
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "perpetual-maven-plugin");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path path : paths) {
                String name = folder.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
                if (name.equals("META-INF") || name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                boolean directory = Files.isDirectory(path);
                JarEntry entry = new JarEntry(directory ? name + "/" : name);
                entry.setLastModifiedTime(Files.getLastModifiedTime(path));
                out.putNextEntry(entry);
                if (!directory) {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
    }
}

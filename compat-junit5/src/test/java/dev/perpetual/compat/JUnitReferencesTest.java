package dev.perpetual.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.lang.invoke.MethodType;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.perpetual.internal.PerpetualExtension;
import dev.perpetual.selenium.Browser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every JUnit class, method and field that the compiled extension, selenium probes and worker refer to exists in
 * JUnit 5.13 (this module's class path) and in JUnit 6.0, with the same descriptor: read from their class files'
 * constant pools, so code the tests do not reach (the worker's, which runs on the user's JUnit line) is checked too.
 */
@DisplayName("The JUnit API Perpetual's compiled classes call")
class JUnitReferencesTest {

    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = { "perpetual-extension", "perpetual-selenium-probes", "perpetual-worker" })
    void exists_in_junit_5_13(String module) throws Exception {
        assertThat(missing(module, JUnitReferencesTest.class.getClassLoader())).isEmpty();
    }

    /** JUnit 6.0's jars and theirs, which the build copies to target/junit-6.0. */
    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = { "perpetual-extension", "perpetual-selenium-probes", "perpetual-worker" })
    void exists_in_junit_6_0(String module) throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> junit = Files.list(Path.of("target", "junit-6.0"))) {
            for (Path jar : (Iterable<Path>) junit::iterator) {
                jars.add(jar.toUri().toURL());
            }
        }
        assertThat(jars).hasSize(8);
        try (URLClassLoader junit6 = new URLClassLoader(jars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(Class.forName("org.junit.jupiter.api.Test", false, junit6).getPackage()
                    .getImplementationVersion()).startsWith("6.0.");
            assertThat(missing(module, junit6)).isEmpty();
        }
    }

    /** The JUnit references of {@code module}'s classes that {@code junit} lacks. */
    private static Set<String> missing(String module, ClassLoader junit) throws Exception {
        Set<String> references = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> classes = classFiles(module)) {
            for (Path file : (Iterable<Path>) classes::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (String reference : junitReferences(new DataInputStream(in))) {
                        if (references.add(reference) && !resolves(reference, junit)) {
                            missing.add(reference);
                        }
                    }
                }
            }
        }
        assertThat(references).as("JUnit references found in " + module).isNotEmpty();
        return missing;
    }

    private static Stream<Path> classFiles(String module) throws Exception {
        Class<?> anchor = switch (module) {
            case "perpetual-extension" -> PerpetualExtension.class;
            case "perpetual-selenium-probes" -> Browser.class;
            default -> Class.forName("dev.perpetual.worker.internal.WorkerMain");
        };
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = location;
        FileSystem jar = null;
        if (Files.isRegularFile(location)) {
            jar = FileSystems.newFileSystem(location);
            root = jar.getPath("/");
        }
        FileSystem opened = jar;
        return Files.walk(root).filter(path -> path.toString().endsWith(".class")).onClose(() -> {
            try {
                if (opened != null) {
                    opened.close();
                }
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The references to org.junit classes, fields and methods in a class file: {@code owner[.name:descriptor]}. */
    private static List<String> junitReferences(DataInputStream in) throws IOException {
        in.readInt(); // magic
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> references = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 7 && isJUnit(utf8[first[i]])) {
                references.add(utf8[first[i]]);
            }
            if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                String owner = utf8[first[first[i]]];
                int nameAndType = second[i];
                if (isJUnit(owner)) {
                    references.add(owner + "." + utf8[first[nameAndType]] + ":" + utf8[second[nameAndType]]);
                }
            }
        }
        return references;
    }

    private static boolean isJUnit(String internalName) {
        return internalName.startsWith("org/junit/") || internalName.startsWith("[Lorg/junit/");
    }

    private static boolean resolves(String reference, ClassLoader junit) {
        int dot = reference.indexOf('.');
        Class<?> owner;
        try {
            owner = Class.forName((dot < 0 ? reference : reference.substring(0, dot)).replace('/', '.'), false, junit);
        }
        catch (ClassNotFoundException e) {
            return false;
        }
        if (dot < 0) {
            return true;
        }
        String name = reference.substring(dot + 1, reference.indexOf(':'));
        String descriptor = reference.substring(reference.indexOf(':') + 1);
        return Stream.concat(hierarchy(owner), Stream.of(Object.class))
                .anyMatch(type -> declares(type, name, descriptor));
    }

    private static boolean declares(Class<?> type, String name, String descriptor) {
        if (!descriptor.startsWith("(")) {
            return Arrays.stream(type.getDeclaredFields())
                    .anyMatch(field -> field.getName().equals(name) && fieldDescriptor(field).equals(descriptor));
        }
        Stream<? extends Executable> executables = name.equals("<init>")
                ? Arrays.stream(type.getDeclaredConstructors())
                : Arrays.stream(type.getDeclaredMethods()).filter(method -> method.getName().equals(name));
        return executables.anyMatch(executable -> methodDescriptor(executable).equals(descriptor));
    }

    private static Stream<Class<?>> hierarchy(Class<?> type) {
        if (type == null) {
            return Stream.empty();
        }
        return Stream.concat(Stream.of(type), Stream.concat(hierarchy(type.getSuperclass()),
                Arrays.stream(type.getInterfaces()).flatMap(JUnitReferencesTest::hierarchy)));
    }

    private static String fieldDescriptor(Field field) {
        return field.getType().descriptorString();
    }

    private static String methodDescriptor(Executable executable) {
        Class<?> returned = executable instanceof Method method ? method.getReturnType() : void.class;
        return MethodType.methodType(returned, executable.getParameterTypes()).toMethodDescriptorString();
    }
}

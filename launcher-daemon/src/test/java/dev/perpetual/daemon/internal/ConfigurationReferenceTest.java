package dev.perpetual.daemon.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.perpetual.Constants;
import dev.perpetual.worker.internal.WorkerMain;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the one configuration reference: its table names every key of {@link Constants} and the
 * worker's system property, names no other key, and gives each default the constants declare as the constant does.
 * A key added to the code without a row here, or a row left behind, fails the build.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    /** A row of the table: {@code | `key` | default | where | meaning |}. */
    private static final Pattern ROW = Pattern.compile("^\\| `(perpetual\\.[^`]+)` \\| ([^|]*) \\|");
    /** The keys outside {@link Constants}: the worker's own system property. */
    private static final Map<String, String> WORKER_KEYS = Map.of(WorkerMain.OUTPUT_BYTES, "OUTPUT_BYTES");

    @Test
    void theReferenceNamesEveryKeyOfConstantsAndOfTheWorker() throws Exception {
        Set<String> documented = documented().keySet();

        assertThat(documented).as("keys of dev.perpetual.Constants and the worker missing from " + REFERENCE)
                .containsAll(codeKeys().keySet());
    }

    @Test
    void theReferenceNamesNoKeyTheCodeDoesNotKnow() throws Exception {
        Set<String> code = codeKeys().keySet();

        assertThat(documented().keySet()).as("rows of " + REFERENCE + " whose key the code does not have")
                .allSatisfy(key -> assertThat(code.contains(key) || key.equals("perpetual.env.*")).as(key).isTrue());
        assertThat(Constants.isKnownKey("perpetual.env.shop-url")).isTrue();
    }

    @Test
    void eachDefaultTheConstantsDeclareIsTheOneTheReferenceGives() throws Exception {
        Map<String, String> documented = documented();
        Map<String, Field> keys = codeKeys();

        for (Map.Entry<String, Field> key : keys.entrySet()) {
            Field field = key.getValue();
            Object declared = declaredDefault(field);
            if (declared != null) {
                String given = documented.get(key.getKey());
                assertThat(declared instanceof Integer number ? Long.valueOf(number) : declared)
                        .as("the default of %s in %s", key.getKey(), REFERENCE)
                        .isEqualTo(declared instanceof Integer ? bytes(given) : given);
            }
        }
    }

    /** The table's keys ({@code <name>} placeholders as {@code *}) and their defaults, without backticks. */
    private static Map<String, String> documented() throws Exception {
        assertThat(REFERENCE).as("the configuration reference, from the module's folder").isRegularFile();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REFERENCE)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String key = row.group(1).replaceAll("<[^>]+>", "*");
                assertThat(rows.put(key, row.group(2).trim().replace("`", ""))).as("a second row for " + key).isNull();
            }
        }
        return rows;
    }

    /** Every key the code declares ({@code %s} placeholders as {@code *}), with the field that declares it. */
    private static Map<String, Field> codeKeys() throws Exception {
        Map<String, Field> keys = new LinkedHashMap<>();
        for (Field field : Constants.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().endsWith("_VALUE") && !field.getName().equals("PREFIX")) {
                keys.put(((String) field.get(null)).replace("%s", "*"), field);
            }
        }
        for (Map.Entry<String, String> key : WORKER_KEYS.entrySet()) {
            keys.put(key.getKey(), WorkerMain.class.getDeclaredField(key.getValue()));
        }
        Set<String> known = new TreeSet<>(Constants.knownKeys());
        known.removeAll(keys.keySet());
        assertThat(known).as("Constants.knownKeys() that are no public constant").isEmpty();
        return keys;
    }

    /** The default the code declares beside {@code key}'s field ({@code X_VALUE}, or {@code X_DEFAULT} in bytes). */
    private static Object declaredDefault(Field key) throws Exception {
        for (String suffix : new String[] {"_VALUE", "_DEFAULT"}) {
            try {
                Field value = key.getDeclaringClass().getDeclaredField(key.getName() + suffix);
                value.setAccessible(true);
                return value.get(null);
            }
            catch (NoSuchFieldException none) {
                // the next suffix
            }
        }
        return null;
    }

    /** {@code 8KiB} as 8192: the size grammar of the keys. */
    private static long bytes(String size) {
        Matcher matcher = Pattern.compile("(\\d+)(KiB|MiB|GiB)?").matcher(size);
        assertThat(matcher.matches()).as("a size: " + size).isTrue();
        long unit = matcher.group(2) == null ? 1 : switch (matcher.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
        };
        return Long.parseLong(matcher.group(1)) * unit;
    }
}

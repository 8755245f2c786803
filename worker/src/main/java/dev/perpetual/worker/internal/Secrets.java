package dev.perpetual.worker.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.perpetual.Constants;
import org.apiguardian.api.API;

/**
 * The values of the secret configuration keys, and text with each of them replaced by {@value #MASK}. A key is
 * secret when its name contains {@code token}, {@code secret}, {@code password}, {@code passwd}, {@code credential},
 * {@code apikey} or {@code api-key} (any case), when {@value Constants#SECRETS_KEYS} lists it, or when it is
 * {@value Constants#WEBHOOKS_SECRET} or {@value #HISTORY_PASSWORD}. Values shorter than {@value #MIN_LENGTH}
 * characters are left alone: masking {@code on} or {@code 42} everywhere would hide more than it protects.
 */
@API(status = INTERNAL, since = "0.1")
public final class Secrets {

    /** What a secret value is replaced by: {@value}. */
    public static final String MASK = "****";

    /** The shortest value replaced: {@value}. */
    public static final int MIN_LENGTH = 4;

    /** The run store's password (issue 15's history keys). */
    static final String HISTORY_PASSWORD = "perpetual.history.password";

    private static final Pattern SECRET_NAME = Pattern.compile("token|secret|password|passwd|credential|api-?key",
            Pattern.CASE_INSENSITIVE);

    private static final Secrets NONE = new Secrets(List.of());

    /** The values, longest first: a secret that holds a shorter one is masked whole. */
    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** The secrets of {@code config}: every key's value, as the worker read it. */
    public static Secrets of(Map<String, String> config) {
        Set<String> listed = new TreeSet<>(Set.of(Constants.WEBHOOKS_SECRET, HISTORY_PASSWORD));
        String keys = config.get(Constants.SECRETS_KEYS);
        if (keys != null) {
            Arrays.stream(keys.split(",")).map(String::strip).filter(key -> !key.isEmpty()).forEach(listed::add);
        }
        List<String> values = config.entrySet().stream()
                .filter(entry -> listed.contains(entry.getKey()) || SECRET_NAME.matcher(entry.getKey()).find())
                .map(Map.Entry::getValue).filter(value -> value != null && value.strip().length() >= MIN_LENGTH)
                .map(String::strip).distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return values.isEmpty() ? NONE : new Secrets(values);
    }

    /** No secrets: text passes unchanged. */
    public static Secrets none() {
        return NONE;
    }

    /** {@code text} with every secret value replaced by {@value #MASK}; null for null. */
    public String scrub(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String scrubbed = text;
        for (String value : values) {
            if (scrubbed.contains(value)) {
                scrubbed = scrubbed.replace(value, MASK);
            }
        }
        return scrubbed;
    }

    /** {@link #scrub} of each. */
    public List<String> scrub(List<String> lines) {
        return values.isEmpty() ? lines : lines.stream().map(this::scrub).toList();
    }

    /** How many values are masked. */
    public int size() {
        return values.size();
    }
}

package dev.perpetual.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Objects;
import java.util.function.Supplier;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * Values made on first use in a JUnit {@link Store}, the same way on JUnit Jupiter 5.13 and 6: a value whose
 * creation failed is created again on the next use, and one that is {@link AutoCloseable} is closed with its store.
 *
 * <p>JUnit 6's {@code Store.computeIfAbsent} does not exist in 5.13, and 5.13's {@code getOrComputeIfAbsent} keeps a
 * creation's failure for the store's life: in a launcher session that lasts as long as the daemon, one failed start
 * of a webhook receiver or a browser pool would fail every later run. So the store holds a {@link Slot} made by the
 * call both lines have, and the slot makes the value.
 */
@API(status = INTERNAL, since = "0.1")
public final class StoreValues {

    private StoreValues() {
    }

    /** The value of {@code key} in {@code store}, made by {@code create} if there is none yet. */
    public static <T> T computeIfAbsent(Store store, Object key, Supplier<? extends T> create, Class<T> type) {
        return type.cast(slot(store, key).value(create));
    }

    /** The value of {@code key} in {@code store} if one was made, else null. */
    public static <T> T get(Store store, Object key, Class<T> type) {
        Slot slot = store.get(key, Slot.class);
        return slot == null ? null : type.cast(slot.value);
    }

    @SuppressWarnings("deprecation") // deprecated in JUnit 6 for computeIfAbsent, which 5.13 lacks
    private static Slot slot(Store store, Object key) {
        return store.getOrComputeIfAbsent(key, k -> new Slot(), Slot.class);
    }

    /** Holds one value, made under the slot's lock, so concurrent first uses make it once. */
    private static final class Slot implements AutoCloseable {

        private volatile Object value;

        Object value(Supplier<?> create) {
            Object made = value;
            if (made != null) {
                return made;
            }
            synchronized (this) {
                if (value == null) {
                    value = Objects.requireNonNull(create.get(), "a store value's creator returned null");
                }
                return value;
            }
        }

        @Override
        public void close() throws Exception {
            if (value instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}

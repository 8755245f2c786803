package dev.perpetual.internal.webhook;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** One channel ({@code POST /webhooks/{name}}): its key extractor, its live expectations and its counts. */
final class Channel {

    static final String RECEIVED = "perpetual.webhook.received";
    static final String CONTEXT = "perpetual.webhook.context";

    /** Channel names become label values: a bounded alphabet and length. */
    static final String NAME_FORM = "1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'";

    final String name;
    final KeyExtractor extractor;
    final ConcurrentHashMap<String, Expectation> expectations = new ConcurrentHashMap<>();

    private final Counter matchedCounter;
    private final Counter unmatchedCounter;
    private final Counter duplicateCounter;
    private final Counter rejectedCounter;
    private final Counter keptCounter;
    private final Counter lostCounter;
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** The last unmatched delivery: its key (a String), or a {@link NoKey}. Stored as is: no text is built here. */
    private volatile Object lastUnmatched;

    Channel(String name, KeyExtractor extractor, MeterRegistry registry) {
        this.name = name;
        this.extractor = extractor;
        this.matchedCounter = counter(registry, name, "matched");
        this.unmatchedCounter = counter(registry, name, "unmatched");
        this.duplicateCounter = counter(registry, name, "duplicate");
        this.rejectedCounter = counter(registry, name, "rejected");
        this.keptCounter = contextCounter(registry, name, "kept");
        this.lostCounter = contextCounter(registry, name, "lost");
    }

    private static Counter contextCounter(MeterRegistry registry, String channel, String context) {
        return Counter.builder(CONTEXT)
                .description("Matched webhook deliveries, by whether the run's trace id came back on them (kept) or "
                        + "a hop of the system under test dropped it (lost)")
                .tag("channel", channel).tag("context", context).register(registry);
    }

    private static Counter counter(MeterRegistry registry, String channel, String result) {
        // No base unit: Prometheus would append it, and the contract is perpetual_webhook_received_total.
        return Counter.builder(RECEIVED).description("Webhook deliveries received, by channel and result")
                .tag("channel", channel).tag("result", result).register(registry);
    }

    /** Whether {@code name} is a valid channel name, without a regex: this runs for every request. */
    static boolean isValidName(CharSequence name, int start, int end) {
        int length = end - start;
        if (length < 1 || length > 64) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    void matched() {
        matchedCounter.increment();
    }

    /** A matched delivery, counted by whether it carried its run's trace context. */
    void context(boolean kept) {
        (kept ? keptCounter : lostCounter).increment();
    }

    void duplicate() {
        duplicates.incrementAndGet();
        duplicateCounter.increment();
    }

    void rejected() {
        rejected.incrementAndGet();
        rejectedCounter.increment();
    }

    /** A delivery for a key nobody expects (now). */
    void unmatched(String key) {
        lastUnmatched = key;
        unmatched.incrementAndGet();
        unmatchedCounter.increment();
    }

    /** A delivery without a key, such as invalid JSON. */
    void unmatched(NoKey reason) {
        lastUnmatched = reason;
        unmatched.incrementAndGet();
        unmatchedCounter.increment();
    }

    Stats stats() {
        return new Stats(unmatched.get(), duplicates.get(), rejected.get(), lastUnmatched);
    }

    /** Counts at one moment; {@link #since} gives what arrived in between. */
    record Stats(long unmatched, long duplicates, long rejected, Object lastUnmatched) {

        Stats since(Stats before) {
            return new Stats(unmatched - before.unmatched, duplicates - before.duplicates,
                    rejected - before.rejected, lastUnmatched);
        }

        /** {@code 3 unmatched (last key 'k-17'), 0 duplicates, 0 rejected}. */
        String describe() {
            String last = "";
            if (unmatched > 0 && lastUnmatched instanceof String) {
                last = " (last key '" + abbreviate((String) lastUnmatched) + "')";
            }
            else if (unmatched > 0 && lastUnmatched instanceof NoKey) {
                last = " (last without a key: " + abbreviate(((NoKey) lastUnmatched).reason) + ")";
            }
            return unmatched + " unmatched" + last + ", " + duplicates
                    + (duplicates == 1 ? " duplicate" : " duplicates") + ", " + rejected + " rejected";
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    /** Why a delivery had no key. */
    static final class NoKey {
        final String reason;

        NoKey(String reason) {
            this.reason = reason;
        }
    }
}

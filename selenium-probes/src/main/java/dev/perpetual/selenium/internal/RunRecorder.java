package dev.perpetual.selenium.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.perpetual.selenium.BrowserNetwork;
import dev.perpetual.selenium.CapturedRequest;
import dev.perpetual.spi.Durations;
import org.openqa.selenium.bidi.log.ConsoleLogEntry;
import org.openqa.selenium.bidi.log.JavascriptLogEntry;
import org.openqa.selenium.bidi.network.BaseParameters;
import org.openqa.selenium.bidi.network.FetchError;
import org.openqa.selenium.bidi.network.ResponseDetails;

/** What one run's tab did: its requests (the run's {@link BrowserNetwork}) and its console. */
final class RunRecorder implements BrowserNetwork {

    private static final int MAX_ENTRIES = 5000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, RecordedRequest> requests = new LinkedHashMap<>();
    private final List<String> console = new ArrayList<>();
    private final Function<String, String> bodyReader;
    private final Supplier<Duration> defaultTimeout;

    RunRecorder(Function<String, String> bodyReader, Supplier<Duration> defaultTimeout) {
        this.bodyReader = bodyReader;
        this.defaultTimeout = defaultTimeout;
    }

    void requestSent(BaseParameters event) {
        update(event, request -> { });
    }

    void responseCompleted(ResponseDetails event) {
        update(event, request -> request.completed(event.getResponseData().getStatus()));
    }

    void fetchFailed(FetchError event) {
        update(event, request -> request.failed(event.getErrorText(), event.getTimestamp()));
    }

    private void update(BaseParameters event, java.util.function.Consumer<RecordedRequest> change) {
        String id = event.getRequest().getRequestId() + "#" + event.getRedirectCount();
        lock.lock();
        try {
            RecordedRequest request = requests.get(id);
            if (request == null) {
                if (requests.size() >= MAX_ENTRIES) {
                    return;
                }
                request = new RecordedRequest(event.getRequest().getRequestId(), bodyReader);
                requests.put(id, request);
            }
            request.request(event.getRequest(), event.getTimestamp());
            change.accept(request);
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    void console(ConsoleLogEntry entry) {
        addConsoleLine(entry.getTimestamp(), entry.getLevel() + " " + entry.getText());
    }

    void javascriptError(JavascriptLogEntry entry) {
        addConsoleLine(entry.getTimestamp(), "UNCAUGHT " + entry.getText());
    }

    private void addConsoleLine(long timestamp, String text) {
        lock.lock();
        try {
            if (console.size() < MAX_ENTRIES) {
                console.add(Instant.ofEpochMilli(timestamp) + " " + text);
            }
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public CapturedRequest await(Predicate<? super CapturedRequest> matching) {
        return await(matching, defaultTimeout.get());
    }

    @Override
    public CapturedRequest await(Predicate<? super CapturedRequest> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            List<RecordedRequest> finished = inOrder().stream().filter(RecordedRequest::finished).toList();
            // Re-check every finished request: one that started earlier may have finished later.
            for (RecordedRequest request : finished) {
                if (matching.test(request)) {
                    return request;
                }
            }
            checked = finished.size();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(String.format("No request matching the predicate finished within %s; "
                        + "the %d finished requests of this run:%n%s", Durations.format(timeout), checked,
                        describe(finished)));
            }
            waitForChange(left);
        }
    }

    private void waitForChange(long nanos) {
        lock.lock();
        try {
            changed.await(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a request", e);
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public List<CapturedRequest> requests() {
        return List.copyOf(inOrder());
    }

    private List<RecordedRequest> inOrder() {
        lock.lock();
        try {
            List<RecordedRequest> ordered = new ArrayList<>(requests.values());
            ordered.sort(Comparator.comparingLong(RecordedRequest::startedAtMillis));
            return ordered;
        }
        finally {
            lock.unlock();
        }
    }

    /** The network log: one line per request, in start order. */
    String networkLog() {
        return String.join("\n", inOrder().stream().map(RecordedRequest::logLine).toList()) + "\n";
    }

    /** The console log: one line per entry. */
    String consoleLog() {
        lock.lock();
        try {
            return String.join("\n", console) + "\n";
        }
        finally {
            lock.unlock();
        }
    }

    private static String describe(List<RecordedRequest> requests) {
        if (requests.isEmpty()) {
            return "  (none)";
        }
        StringBuilder text = new StringBuilder();
        requests.stream().limit(20).forEach(request -> text.append("  ").append(request).append('\n'));
        if (requests.size() > 20) {
            text.append("  … and ").append(requests.size() - 20).append(" more\n");
        }
        return text.toString().stripTrailing();
    }
}

package dev.perpetual.selenium.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.Connection;
import org.openqa.selenium.devtools.Event;
import org.openqa.selenium.devtools.idealized.target.model.SessionID;
import org.openqa.selenium.json.Json;

/**
 * One tab's DevTools session with the {@code Fetch} domain on: every request it pauses goes on at once, with the
 * run's trace headers when the run's {@link RunMarks} say so, else unchanged. Closing it ends the session, and with
 * it the interception.
 */
final class MarkedTab implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(MarkedTab.class.getName());
    private static final Event<Map<String, Object>> REQUEST_PAUSED = new Event<>("Fetch.requestPaused",
            input -> input.read(Json.MAP_TYPE));

    private final Connection connection;
    private final SessionID session;
    private final String tab;
    private final String browser;
    private volatile RunMarks marks;
    /** The origins whose requests Fetch pauses; none stands for every request. */
    private Set<Origin> pausing = Set.of();

    MarkedTab(Connection connection, String session, String tab, String browser) {
        this.connection = connection;
        this.session = new SessionID(session);
        this.tab = tab;
        this.browser = browser;
        connection.addListener(REQUEST_PAUSED, (sequence, event) -> paused(event));
    }

    /** Pauses the requests to {@code origins} before they are sent; every request, when there is none. */
    synchronized void enable(Set<Origin> origins) {
        pausing = origins;
        connection.sendAndWait(session, enabling(origins), TraceInterception.COMMAND_TIMEOUT);
    }

    private static Command<Void> enabling(Set<Origin> origins) {
        List<String> patterns = origins.isEmpty() ? List.of("*")
                : origins.stream().map(origin -> origin + "/*").sorted().toList();
        return new Command<>("Fetch.enable", Map.of("patterns", patterns.stream()
                .map(pattern -> Map.of("urlPattern", pattern, "requestStage", "Request")).toList()));
    }

    /**
     * Once a page has named the origins marked by default, pauses only their requests: the others of the tab's
     * pages (a CDN's, a tag manager's) go without the detour.
     */
    private synchronized void narrow(Set<Origin> marked) {
        if (!marked.isEmpty() && !marked.equals(pausing)) {
            pausing = marked;
            try {
                connection.send(session, enabling(marked));
            }
            catch (RuntimeException e) {
                LOGGER.log(Level.FINE, e, () -> browser + ": could not narrow the interception of tab " + tab);
            }
        }
    }

    /**
     * Pauses the requests of {@code marked}, an origin {@link RunMarks#alsoMark} just added among them, before this
     * returns; nothing to do while every request is paused.
     */
    synchronized void widen(Set<Origin> marked) {
        if (!pausing.isEmpty() && !marked.equals(pausing)) {
            enable(marked);
        }
    }

    /** The origins whose requests are paused now; empty while every request is. */
    synchronized Set<Origin> pausing() {
        return pausing;
    }

    /** From now on, the tab's requests are {@code marks}' run's. */
    void lend(RunMarks marks) {
        this.marks = marks;
    }

    /** Between runs, paused requests go on unchanged. */
    void giveBack() {
        this.marks = null;
    }

    private void paused(Map<String, Object> event) {
        Object requestId = event.get("requestId");
        Optional<Map<String, String>> headers = Optional.empty();
        RunMarks current = marks;
        try {
            if (current != null && event.get("request") instanceof Map<?, ?> request) {
                boolean pageNavigation = "Document".equals(event.get("resourceType"))
                        && tab.equals(event.get("frameId"));
                headers = current.headers(String.valueOf(request.get("url")), text(request.get("headers")),
                        pageNavigation);
                if (pageNavigation) {
                    narrow(current.marked());
                }
            }
        }
        finally {
            Map<String, Object> going = new LinkedHashMap<>();
            going.put("requestId", requestId);
            headers.ifPresent(sent -> going.put("headers", entries(sent)));
            try {
                connection.send(session, new Command<>("Fetch.continueRequest", going))
                        .whenComplete((done, failure) -> {
                            if (failure != null) {
                                notContinued(requestId, failure);
                            }
                        });
            }
            catch (RuntimeException e) {
                notContinued(requestId, e);
            }
        }
    }

    /** The tab closed, the page cancelled the request, or the browser went, meanwhile. */
    private void notContinued(Object requestId, Throwable failure) {
        LOGGER.log(Level.FINE, failure, () -> browser + ": could not continue request " + requestId);
    }

    private static Map<String, String> text(Object headers) {
        Map<String, String> text = new LinkedHashMap<>();
        if (headers instanceof Map<?, ?> map) {
            map.forEach((name, value) -> text.put(String.valueOf(name), String.valueOf(value)));
        }
        return text;
    }

    /** Fetch's {@code HeaderEntry} list. */
    private static List<Map<String, String>> entries(Map<String, String> headers) {
        List<Map<String, String>> entries = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> entries.add(Map.of("name", name, "value", value)));
        return entries;
    }

    @Override
    public void close() {
        marks = null;
        try {
            connection.close();
        }
        catch (RuntimeException e) {
            // The browser is gone already, and its end of the connection with it.
            LOGGER.log(Level.FINE, e, () -> browser + ": closing the DevTools connection of tab " + tab);
        }
    }
}

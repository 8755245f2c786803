package dev.perpetual.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * What stands in for the pager: a real HTTP server taking Alertmanager's webhook notifications on {@code /pager},
 * each kept with the time it arrived.
 */
final class PagerReceiver implements AutoCloseable {

    /** One alert of one notification: its name, its {@code test} label, firing or resolved, and when it arrived. */
    record Page(String alertname, String test, String status, Instant received) {

        @Override
        public String toString() {
            return status + " " + alertname + " " + test + " at " + received;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Page> pages = new CopyOnWriteArrayList<>();

    private PagerReceiver(HttpServer server) {
        this.server = server;
    }

    static PagerReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        PagerReceiver receiver = new PagerReceiver(server);
        server.createContext("/pager", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                JsonNode notification = JSON.readTree(body);
                Instant now = Instant.now();
                for (JsonNode alert : notification.path("alerts")) {
                    receiver.pages.add(new Page(alert.at("/labels/alertname").asText(),
                            alert.at("/labels/test").asText(), alert.path("status").asText(), now));
                }
                exchange.sendResponseHeaders(200, -1);
            }
            finally {
                exchange.close();
            }
        });
        server.start();
        return receiver;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pager";
    }

    /** Every alert notified so far, in order. */
    List<Page> pages() {
        return List.copyOf(pages);
    }

    /** The firing notifications of {@code alertname} for {@code test}. */
    List<Page> firing(String alertname, String test) {
        return pages.stream().filter(page -> page.status().equals("firing") && page.alertname().equals(alertname)
                && page.test().equals(test)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

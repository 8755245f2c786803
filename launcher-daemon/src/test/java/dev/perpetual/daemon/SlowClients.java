package dev.perpetual.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slowloris: {@code count} connections that each start a request and then send one more header line a second, never
 * finishing it; a connection the server closes is opened again. Closed with every socket.
 */
final class SlowClients implements AutoCloseable {

    private final String host;
    private final int port;
    private final Socket[] sockets;
    private final AtomicInteger connected = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    private SlowClients(String host, int port, int count) {
        this.host = host;
        this.port = port;
        this.sockets = new Socket[count];
        this.thread = new Thread(this::trickle, "slow-clients");
        thread.setDaemon(true);
    }

    static SlowClients open(String host, int port, int count) {
        SlowClients clients = new SlowClients(host, port, count);
        clients.thread.start();
        return clients;
    }

    /** Connections open at the last pass. */
    int connected() {
        return connected.get();
    }

    private void trickle() {
        byte[] start = "POST /webhooks/default HTTP/1.1\r\nHost: perpetual\r\nContent-Length: 10\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] more = "X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII);
        while (!closed) {
            int open = 0;
            for (int i = 0; i < sockets.length && !closed; i++) {
                try {
                    if (sockets[i] == null || sockets[i].isClosed()) {
                        Socket socket = new Socket();
                        socket.connect(new InetSocketAddress(host, port), 1000);
                        sockets[i] = socket;
                        socket.getOutputStream().write(start);
                    }
                    OutputStream out = sockets[i].getOutputStream();
                    out.write(more);
                    out.flush();
                    open++;
                }
                catch (IOException e) {
                    closeQuietly(sockets[i]);
                    sockets[i] = null; // the server closed it: opened again on the next pass
                }
            }
            connected.set(open);
            try {
                TimeUnit.SECONDS.sleep(1);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(5_000);
        List<Socket> all = new ArrayList<>(List.of(sockets).stream().filter(s -> s != null).toList());
        all.forEach(SlowClients::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        }
        catch (IOException e) {
            // closing
        }
    }
}

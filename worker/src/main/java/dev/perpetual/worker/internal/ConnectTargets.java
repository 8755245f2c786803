package dev.perpetual.worker.internal;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Where each run last asked to connect: the forked worker's default {@link ProxySelector}, which the JDK asks on
 * the calling thread before every connection it opens for {@code HttpClient}, {@code HttpURLConnection} and
 * {@code Socket} (and so for Spring's clients over them), hands the address to the run whose thread (or a thread
 * it started) asks, and answers as the JVM's own selector would. The JDK's {@code ConnectException} names no address;
 * this is where a failure's message finds it ({@link ConnectMessages}). A client given a selector of its own, or a
 * test that replaces the default, is simply not seen.
 */
final class ConnectTargets extends ProxySelector {

    /** Sees nothing: the JVM's selector is left alone (a worker inside the supervisor's JVM). */
    static final ConnectTargets NONE = new ConnectTargets(null);

    private final ProxySelector delegate;
    private final InheritableThreadLocal<Attempt> current = new InheritableThreadLocal<>();

    private ConnectTargets(ProxySelector delegate) {
        this.delegate = delegate;
    }

    /** Becomes the JVM's default selector, in front of the one it had. */
    static ConnectTargets install() {
        ConnectTargets targets = new ConnectTargets(ProxySelector.getDefault());
        ProxySelector.setDefault(targets);
        return targets;
    }

    /** From now on, the connections the current thread (and the threads it starts) opens are {@code attempt}'s. */
    void attach(Attempt attempt) {
        if (this != NONE) {
            current.set(attempt);
        }
    }

    void detach() {
        current.remove();
    }

    @Override
    public List<Proxy> select(URI uri) {
        Attempt attempt = current.get();
        if (attempt != null) {
            attempt.connecting(uri);
        }
        return delegate == null ? List.of(Proxy.NO_PROXY) : delegate.select(uri);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (delegate != null) {
            delegate.connectFailed(uri, address, failure);
        }
    }
}

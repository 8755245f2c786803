package dev.perpetual.worker.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure's message that names the host and port a failed connection was for: {@code Connection refused:
 * 127.0.0.1:8080}, {@code java.net.ConnectException: orders.internal:443}. The JDK gives none; the address is taken
 * from the cause chain (a URL in a message, as Spring's and Apache's clients write it) or else from the request the
 * run last opened a connection for ({@link ConnectTargets}). A client's message that shows the JDK's missing one as
 * {@code null} gets the exception's name there instead. Failures of another kind are as {@link Failures#message}
 * makes them.
 */
final class ConnectMessages {

    private static final Pattern URL = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*)://([^\\s\"'/?#<>]+)");
    private static final int MAX_CAUSES = 20;

    private ConnectMessages() {
    }

    /** {@link Failures#message} of {@code failure}, naming the address it could not connect to when known. */
    static String message(Throwable failure, URI lastConnect) {
        String message = Failures.message(failure);
        Throwable connect = connectFailure(failure);
        if (connect == null) {
            return message;
        }
        if (connect.getMessage() == null && message.endsWith(": null")) {
            // a client that wrote the JDK's missing message as "null" (Spring's "I/O error on GET …: null")
            message = message.substring(0, message.length() - "null".length()) + connect.getClass().getName();
        }
        String shown = message;
        Optional<String> target = fromChain(failure).or(() -> Optional.ofNullable(lastConnect)
                .flatMap(ConnectMessages::address));
        return target.filter(address -> !shown.contains(address))
                .map(address -> Failures.truncate(shown + ": " + address, Failures.MAX_MESSAGE_CHARS))
                .orElse(shown);
    }

    /** The first failed connection in the cause chain, or null. */
    private static Throwable connectFailure(Throwable failure) {
        Throwable cause = failure;
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof HttpConnectTimeoutException) {
                return cause;
            }
        }
        return null;
    }

    /** The address of the first URL a message of the chain names. */
    private static Optional<String> fromChain(Throwable failure) {
        Throwable cause = failure;
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            String text = cause.getMessage();
            Matcher url = text == null ? null : URL.matcher(text);
            if (url != null && url.find()) {
                try {
                    Optional<String> address = address(new URI(url.group(1) + "://" + url.group(2)));
                    if (address.isPresent()) {
                        return address;
                    }
                }
                catch (java.net.URISyntaxException e) {
                    // not a URL after all: look further
                }
            }
        }
        return Optional.empty();
    }

    /** {@code host:port} of {@code uri} (the scheme's default port when it names none), without any user info. */
    static Optional<String> address(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return Optional.empty();
        }
        int port = uri.getPort();
        if (port < 0) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            port = switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
        }
        String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return Optional.of(port < 0 ? shown : shown + ":" + port);
    }
}

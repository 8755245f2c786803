package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apiguardian.api.API;

/** One HTTP request the browser made during a run, as seen through WebDriver BiDi. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface CapturedRequest {

    /** The request method, such as {@code POST}. */
    String method();

    /** The request URL. */
    URI url();

    /**
     * The request headers as the browser sent them, names in lower case; repeated headers joined with {@code ", "}.
     * A request to a marked origin has the run's {@code traceparent}, {@code tracestate} and {@code baggage} among
     * them (see {@link Browser}).
     */
    Map<String, String> headers();

    /** One request header, by case-insensitive name. */
    default Optional<String> header(String name) {
        return Optional.ofNullable(headers().get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * The request body as text, empty when there is none. Read from the browser on first call, so call it during
     * the run.
     */
    String body();

    /** The response status, or 0 when the request failed or has not been answered. */
    int status();

    /** Why the request failed (such as {@code net::ERR_CONNECTION_REFUSED}), if it did. */
    Optional<String> error();

    /** When the browser started the request. */
    Instant startedAt();

    /** From the start of the request to the end of its response (or its failure). */
    Duration duration();
}

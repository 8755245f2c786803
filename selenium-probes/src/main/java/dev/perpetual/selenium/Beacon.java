package dev.perpetual.selenium;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;

import org.apiguardian.api.API;

/** The request analytics.js sent for one call, answered by its collector. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Beacon {

    /** The request as it left the browser: method, URL, headers and JSON body. */
    CapturedRequest request();

    /** The event's {@code messageId}, which the pipeline carries to its destinations: follow it downstream. */
    String messageId();

    /** From the {@code track}/{@code page} call in the page to the collector's answer reaching the browser. */
    Duration latency();
}

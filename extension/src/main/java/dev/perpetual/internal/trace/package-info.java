/**
 * Each run's W3C trace context (trace id, span ids, {@code tracestate}, {@code baggage}) and, when
 * {@code opentelemetry-api} is on the class path, its OpenTelemetry {@code Context}: not an API; anything here may
 * change without notice.
 */
package dev.perpetual.internal.trace;

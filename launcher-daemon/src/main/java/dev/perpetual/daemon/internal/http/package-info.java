/**
 * The supervisor's admin port: {@link dev.perpetual.daemon.internal.http.HttpApi} serves {@code /metrics},
 * {@code /healthz}, {@code /readyz}, {@code /api/tests}, {@code /api/workers} and {@code /status} on the JDK's HTTP
 * server. The status pages ({@link dev.perpetual.daemon.internal.http.StatusPage},
 * {@link dev.perpetual.daemon.internal.http.RunPage}) are made from the same
 * {@link dev.perpetual.daemon.internal.records.Views} as the API, escaped by
 * {@link dev.perpetual.daemon.internal.http.Html}, with their assets beside it ({@code status/}). It only reads and
 * renders: the records, the meters and the workers' state are kept by their own packages, and webhooks have a port
 * of their own, in the worker.
 */
@API(status = INTERNAL, since = "0.1")
package dev.perpetual.daemon.internal.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Runs of one test method without discovering its whole class again: the worker's launcher session holds {@link
 * dev.perpetual.worker.internal.reuse.ReusingJupiterEngine}, which lends each run a tree of descriptors Jupiter
 * discovered once per class, cut down to the selected method, and takes it back after the run. It owns the pools of
 * trees, the one field of Jupiter's it restores between runs, and the checks that send anything it does not know back
 * to Jupiter's own discovery.
 */
@API(status = INTERNAL, since = "0.3")
package dev.perpetual.worker.internal.reuse;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

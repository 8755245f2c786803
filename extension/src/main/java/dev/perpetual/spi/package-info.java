/**
 * What programs that run perpetual tests (the Perpetual daemon) and other extensions (the browser probes) use from
 * the extension: the {@link dev.perpetual.spi.PerpetualHost} a host offers the extension for its launcher session,
 * the {@link dev.perpetual.spi.RunReport} of every run, the settings of a test ({@link dev.perpetual.spi.PerpetualTests}),
 * the duration grammar ({@link dev.perpetual.spi.Durations}) and the {@link dev.perpetual.spi.Outcome} of a run.
 * Test authors do not need it.
 */
package dev.perpetual.spi;

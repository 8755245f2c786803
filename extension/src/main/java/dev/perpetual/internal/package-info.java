/**
 * The extension's implementation: not an API; anything here may change without notice.
 */
package dev.perpetual.internal;

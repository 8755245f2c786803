/**
 * The webhook receiver behind {@link dev.perpetual.WebhookWaiter}: one per launcher session
 * ({@link dev.perpetual.internal.webhook.WebhookReceiver}), one waiter per run
 * ({@link dev.perpetual.internal.webhook.RunWebhooks}). Everything else here is package-private.
 *
 * <p>The request path is kept lean on purpose: the channel is a map lookup, the key is read by a streaming JSON
 * parser that stops at the key, headers are copied only for a delivery that matches an expectation, and counts
 * are plain atomics.
 */
package dev.perpetual.internal.webhook;

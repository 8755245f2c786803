/**
 * Perpetual's test-authoring API: {@link dev.perpetual.Perpetual @Perpetual} makes an ordinary JUnit Jupiter test
 * that runs once in the IDE or under {@code mvn test} and forever under the Perpetual daemon; {@link dev.perpetual.O}
 * is a run's handle, {@link dev.perpetual.WebhookWaiter} waits for the webhooks the system under test delivers,
 * {@link dev.perpetual.Shared @Shared} declares fixtures that outlive runs, and {@link dev.perpetual.Constants}
 * lists every configuration key.
 */
package dev.perpetual;

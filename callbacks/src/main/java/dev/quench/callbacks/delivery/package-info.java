/**
 * Delivery: the fold of the owned log partitions into the callbacks due ({@code OwnedCallbacks}); the loop that reads
 * the log, sends what is due and records every attempt in the log in a transaction ({@code DeliveryLoop},
 * {@code AttemptLog}); and the sending itself, as Standard Webhooks ({@code WebhookSender}, {@code WebhookSigner},
 * {@code CallbackPayload}).
 */
package dev.quench.callbacks.delivery;

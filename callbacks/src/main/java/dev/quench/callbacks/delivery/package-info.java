/**
 * Delivery: folding the owned log partitions into the callbacks due ({@code DeliveryLoop}), sending each as Standard
 * Webhooks ({@code WebhookSender}, {@code WebhookSigner}, {@code CallbackPayload}), and recording every attempt in the
 * log in a transaction.
 */
package dev.quench.callbacks.delivery;

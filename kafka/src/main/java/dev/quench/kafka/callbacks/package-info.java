/**
 * Where a callback may go: the one address policy ({@link dev.quench.kafka.callbacks.CallbackAddresses}) the api
 * applies when a task asks for a callback and the deliverer applies again when it sends, so the two cannot disagree.
 * The policy is plain Java; {@link dev.quench.kafka.callbacks.CallbackAddressesConfiguration} only binds
 * {@code quench.callbacks.allow-http} and {@code quench.callbacks.allowed-networks} to it.
 */
package dev.quench.kafka.callbacks;

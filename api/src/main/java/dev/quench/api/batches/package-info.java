/**
 * Cancellation batches ({@code /v1/cancellation_batches}, and a cancel with {@code cascade}): one request that
 * cancels many tasks, whose target set is fixed when it is accepted, resolved against the read model after the read
 * barrier and recorded in the log in one transaction; each target is then an ordinary cancel request decided by its
 * partition's owner, and the batch's progress and report are folds of the log (docs/architecture.md §8).
 */
package dev.quench.api.batches;

/**
 * The chaos harness: {@link dev.quench.standalone.chaos.ChaosRun} runs the api, two workers and two projectors as
 * separate processes on a real broker, drives a steady load of creates, cancels and cancellation batches (one of
 * them of 10,000 targets, {@link dev.quench.standalone.chaos.BigBatch}), SIGKILLs a random process again
 * and again, and then checks from the log alone that nothing acknowledged was lost and that the invariants of
 * docs/architecture.md §5 still hold.
 */
package dev.quench.standalone.chaos;

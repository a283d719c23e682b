/**
 * The capabilities every worker serves out of the box: {@code sleep} (a cancellable wait that reports progress),
 * {@code echo} (output = input) and {@code fail} (fails with the given message). Small, but each shows one side of
 * the handler contract.
 */
package dev.quench.worker.builtin;

/**
 * How fast quench tells its callers a task ended: a signed callback to a receiver on loopback, a Server-Sent Event at
 * a connected client, and the answer of a cancel that waits ({@code Prefer: wait}), each timed from the terminal
 * event on the log.
 */
package dev.quench.benchmark.notify;

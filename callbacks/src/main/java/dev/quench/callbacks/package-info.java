/**
 * The deliverer of callbacks, a role of its own: it depends only on the contract ({@code quench-events}) and the
 * shared Kafka plumbing ({@code quench-kafka}), and scales by the log's partitions like the worker and the projector.
 */
package dev.quench.callbacks;

/**
 * Partition ownership: the single thread that owns this worker's partitions of the log, restores their tasks from
 * Kafka on assignment, decides every request with {@link dev.quench.events.TaskDecider}, hands tasks to handler
 * threads, and appends every decision in a Kafka transaction together with the consumed offsets.
 *
 * <p>Handler threads never write to Kafka: they hand progress and results back to the owner, so only the current
 * owner of a partition appends its events, and a revoked or fenced owner's writes never land.
 */
package dev.quench.worker.ownership;

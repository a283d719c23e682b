package dev.quench.events;

/**
 * One record of the compacted view topic: a task's state and the log position it reflects.
 *
 * <p>Written by the projector only, keyed by task id, into the partition of the same number as the task's log
 * partition. The position makes a view idempotent: replaying the log rewrites the same view, and a reader that
 * appended at a position can wait until the view has caught up with it.
 *
 * @param task         the fold of the task's log up to and including {@code logOffset}
 * @param logPartition the log partition holding the task's history
 * @param logOffset    the offset of the last event folded into {@code task}
 */
public record TaskView(TaskState task, int logPartition, long logOffset) {
}

package dev.quench.events;

/**
 * A task that was running goes back to the queue, to be started again.
 *
 * <p>Emitted by a worker that took over a partition and found the task running on a worker that is gone, when the
 * orphan policy says run again. Key: the task id; between {@link TaskStarted} and the next {@link TaskStarted}.
 *
 * @param attempt the run that was lost
 * @param reason  why, e.g. {@code worker_lost}
 */
public record TaskRequeued(int attempt, String reason) implements TaskEvent {
}

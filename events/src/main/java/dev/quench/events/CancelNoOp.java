package dev.quench.events;

/**
 * A cancel request that changed nothing, and why.
 *
 * <p>Emitted by the owning worker as the single outcome of a {@link CancelRequested} that did not cancel the task;
 * its causation id is that request. Key: the task id.
 *
 * @param reason why nothing was cancelled
 * @param status the task's status when the request was decided, or null for an unknown task
 * @param batch  the batch of the request it answers, or null
 */
public record CancelNoOp(NoOpReason reason, TaskStatus status, BatchRef batch) implements TaskEvent {

  public CancelNoOp(NoOpReason reason, TaskStatus status) {
    this(reason, status, null);
  }
}

package dev.quench.events;

/**
 * A task was stopped by a cancel request. Terminal.
 *
 * <p>Emitted by the owning worker: at once for a queued task (it never starts), or when a running task's handler
 * stops after its cancellation token fired. Its causation id is the {@link CancelRequested} it answers. Key: the
 * task id.
 *
 * @param was    {@link TaskStatus#QUEUED} or {@link TaskStatus#RUNNING}: what the cancel found
 * @param forced true when the handler did not stop on its token and was interrupted, abandoned or lost
 * @param usage  what the run used until it stopped, or null (never started, or no report)
 * @param batch  the batch of the request it answers, or null
 */
public record TaskCancelled(TaskStatus was, boolean forced, Usage usage, BatchRef batch) implements TaskEvent {

  public TaskCancelled(TaskStatus was, boolean forced, Usage usage) {
    this(was, forced, usage, null);
  }

  public TaskCancelled(TaskStatus was, boolean forced) {
    this(was, forced, null, null);
  }
}

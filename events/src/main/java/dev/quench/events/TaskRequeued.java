package dev.quench.events;

/**
 * A task that was running goes back to the queue, to be started again; the run it ends is not charged.
 *
 * <p>Emitted by a worker that took over a partition and found the task running on a worker that is gone, when the
 * orphan policy says run again ({@code worker_lost}); or by the owner itself when it stops as planned and the run
 * did not end within its shutdown grace ({@link #WORKER_STOPPED}). Key: the task id; between {@link TaskStarted} and
 * the next {@link TaskStarted}.
 *
 * @param attempt the run that ended
 * @param reason  why, e.g. {@code worker_lost}
 */
public record TaskRequeued(int attempt, String reason) implements TaskEvent {

  /** The worker running it stopped as planned (a deploy, a scale-in) before the run ended. */
  public static final String WORKER_STOPPED = "worker_stopped";
}

package dev.quench.events;

/** What a worker does with a task it finds running on a worker that is gone. */
public enum OrphanPolicy {
  /** Fail it with {@link TaskError#WORKER_LOST}, retryable: the task ran at most once. */
  FAIL,
  /** Put it back in the queue and run it again: the task may run more than once. */
  RERUN
}

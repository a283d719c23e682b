package dev.quench.worker.spi;

import tools.jackson.databind.JsonNode;

/**
 * Runs the tasks of one capability. Declare an implementation as a Spring bean; the worker calls {@link #run} on a
 * thread of its own, at most {@code quench.worker.concurrency} at a time.
 *
 * <p>Cancellation is cooperative first: when a cancel arrives, {@link TaskContext#cancellation()} fires at once;
 * a handler that sees it should stop and throw {@link java.util.concurrent.CancellationException} (as
 * {@link CancellationToken#throwIfCancellationRequested()} does). After {@code quench.worker.cancel-grace} the
 * worker interrupts the thread; after {@code quench.worker.abandon-after} more it gives up on the thread, records
 * the task cancelled (forced) and frees the slot.
 *
 * <p>Outcomes: returning completes the task with the returned output, even if a cancel arrived meanwhile (that
 * cancel then reports {@code completed_first}); throwing {@link TaskFailure} fails it with that code; throwing
 * anything else fails it with {@code handler_error}, or, once the token fired, counts as stopping on cancellation.
 */
public interface TaskHandler {

  /** The capability name clients submit, e.g. {@code sleep}. Unique among the worker's handlers. */
  String capability();

  /**
   * Runs one task.
   *
   * @return the task's output, any JSON (null becomes JSON null)
   * @throws Exception see the class comment for how each kind of exception ends the task
   */
  JsonNode run(TaskContext context) throws Exception;
}

package dev.quench.worker.spi;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

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
   * The JSON Schema (draft 2020-12) a task's input must satisfy, describing an object. Workers announce it with the
   * capability when they start; the api then refuses, with 422 and the failing field (e.g. {@code input.duration_ms}),
   * a create whose input breaks it, before anything is recorded. Must be a valid schema referring only to its own
   * parts ({@code #/$defs/...}): nobody fetches another document, and the worker does not start otherwise. {@link #run}
   * may still check what it relies on: a task recorded before the schema changed keeps its input. Default: any
   * object.
   */
  default JsonNode inputSchema() {
    return JsonNodeFactory.instance.objectNode().put("type", "object");
  }

  /**
   * Runs one task.
   *
   * @return the task's output, any JSON (null becomes JSON null)
   * @throws Exception see the class comment for how each kind of exception ends the task
   */
  JsonNode run(TaskContext context) throws Exception;

  /**
   * How much of this capability's meter a run of {@code input} is expected to use, e.g. seconds of work. When the
   * run starts, the worker reserves its price ({@code quench.worker.pricing.<capability>}); when it ends, the run is
   * charged what it reported through {@link TaskContext#usage}, never more, and the rest is refunded. Called on the
   * worker's own thread: keep it cheap, and don't throw (a bad input fails in {@link #run}).
   */
  default BigDecimal expectedUsage(JsonNode input) {
    return BigDecimal.ONE;
  }

  /** The model this handler runs when {@code requested} is asked for (null if none was): shown as resolved_model. */
  default String resolveModel(String requested) {
    return requested;
  }
}

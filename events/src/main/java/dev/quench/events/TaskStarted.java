package dev.quench.events;

import java.math.BigDecimal;

/**
 * A worker took a queued task and is about to run it.
 *
 * <p>Emitted by the owning worker when a slot is free; committed before the handler is invoked, so a task whose
 * start never committed never ran. Key: the task id; follows {@link TaskSubmitted} or {@link TaskRequeued}.
 *
 * @param worker          the worker instance running it
 * @param attempt         1 for the first run, then one more for each re-run after a lost worker
 * @param resolvedModel   the model the handler runs for the one asked, or null
 * @param reservedCredits what the run may cost at most, by the worker's price list: charged when it ends, less
 *                        what it did not use
 */
public record TaskStarted(String worker, int attempt, String resolvedModel, BigDecimal reservedCredits)
    implements TaskEvent {

  public TaskStarted {
    reservedCredits = Decimals.canonical(reservedCredits);
  }

  public TaskStarted(String worker, int attempt) {
    this(worker, attempt, null, BigDecimal.ZERO);
  }
}

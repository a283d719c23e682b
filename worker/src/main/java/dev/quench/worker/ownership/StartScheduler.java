package dev.quench.worker.ownership;

import dev.quench.events.TaskCommand;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskError;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.worker.spi.TaskHandler;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.IntPredicate;

/**
 * Starts queued tasks into free slots, oldest first: resolves each one's handler and model, reserves the price of its
 * expected usage, and fails at once a task no handler here serves. A start is only decided here; the run is
 * launched once its transaction committed ({@link Turn.Launch}).
 */
final class StartScheduler {

  private final TaskLedger ledger;
  private final Decisions decisions;
  private final HandlerRegistry handlers;
  private final PriceList prices;
  private final String workerId;

  StartScheduler(TaskLedger ledger, Decisions decisions, HandlerRegistry handlers, PriceList prices,
                 String workerId) {
    this.ledger = ledger;
    this.decisions = decisions;
    this.handlers = handlers;
    this.prices = prices;
    this.workerId = workerId;
  }

  /** Starts up to {@code free} queued tasks of {@code startable} partitions. */
  void start(Turn turn, int free, IntPredicate startable, Instant now) {
    for (TaskLedger.Queued queued : ledger.nextQueued(Math.max(0, free), startable)) {
      TaskState task = ledger.get(queued.partition(), queued.taskId());
      TaskHandler handler = handlers.find(task.capability());
      decisions.decide(turn, queued.partition(), new TaskCommand.Start(queued.taskId(), workerId, now,
          handler == null ? task.model() : handler.resolveModel(task.model()),
          prices.reservation(task.capability(), expectedUsage(handler, task))));
      TaskState started = ledger.get(queued.partition(), queued.taskId());
      if (handler == null) {
        decisions.decide(turn, queued.partition(), new TaskCommand.Finish(started.taskId(), started.attempt(),
            new Outcome.Failed(new TaskError(TaskError.UNSUPPORTED_CAPABILITY, "no handler serves capability '"
                + started.capability() + "'; this worker serves " + handlers.capabilities(), false)),
            workerId, now));
      } else if (started.status() == TaskStatus.RUNNING) {
        turn.launch(new Turn.Launch(queued.partition(), queued.taskId(), handler));
      }
    }
  }

  /** The handler's estimate, or none if it cannot tell: a bad input fails the run itself, not the owner. */
  private static BigDecimal expectedUsage(TaskHandler handler, TaskState task) {
    if (handler == null) {
      return BigDecimal.ZERO;
    }
    try {
      return handler.expectedUsage(task.input());
    } catch (RuntimeException e) {
      return BigDecimal.ZERO;
    }
  }
}

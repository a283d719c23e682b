package dev.quench.events;

import java.math.BigDecimal;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * What the worker that owns a task's partition asks {@link TaskDecider#decide} to decide. Each command carries the
 * instant and the worker it is decided at and by, so the decision stays a pure function of its arguments.
 */
public sealed interface TaskCommand {

  String taskId();

  /** Sequence a request the api appended ({@link TaskSubmitted} or {@link CancelRequested}) into the log. */
  record Accept(Envelope request, String worker, Instant at) implements TaskCommand {
    @Override
    public String taskId() {
      return request.taskId();
    }
  }

  /**
   * A slot is free: start the task if it is still queued.
   *
   * @param resolvedModel   the model its handler runs for the one asked, or null
   * @param reservedCredits what the run may cost at most, by the worker's price list
   */
  record Start(String taskId, String worker, Instant at, String resolvedModel, BigDecimal reservedCredits)
      implements TaskCommand {

    public Start(String taskId, String worker, Instant at) {
      this(taskId, worker, at, null, BigDecimal.ZERO);
    }
  }

  /** The handler of run {@code attempt} reported progress, usage, or both. */
  record ReportProgress(String taskId, int attempt, Progress progress, Usage usage, String worker, Instant at)
      implements TaskCommand {
  }

  /** The handler of run {@code attempt} stopped, one way or another. */
  record Finish(String taskId, int attempt, Outcome outcome, String worker, Instant at) implements TaskCommand {
  }

  /**
   * This worker stops as planned and run {@code attempt} did not end within the shutdown grace: the task goes back to
   * the queue for the next owner, not failed and not charged (a cancel already waiting for it is honoured instead).
   */
  record HandBack(String taskId, int attempt, String worker, Instant at) implements TaskCommand {
  }

  /** The task is running on a worker that is gone (found when a partition is taken over). */
  record RecoverOrphan(String taskId, OrphanPolicy policy, String worker, Instant at) implements TaskCommand {
  }

  /** How a handler stopped, and what it used: its last usage report, or null if it made none. */
  sealed interface Outcome {

    Usage usage();

    /** It returned a result. */
    record Completed(JsonNode output, Usage usage) implements Outcome {
      public Completed(JsonNode output) {
        this(output, null);
      }
    }

    /** It failed. */
    record Failed(TaskError error, Usage usage) implements Outcome {
      public Failed(TaskError error) {
        this(error, null);
      }
    }

    /** It stopped because its cancellation token fired; {@code forced} if it had to be interrupted or abandoned. */
    record Cancelled(boolean forced, Usage usage) implements Outcome {
      public Cancelled(boolean forced) {
        this(forced, null);
      }
    }
  }
}

package dev.quench.projector.projection;

import java.time.Clock;
import java.time.Instant;

/**
 * What the projection loop is doing, for health: written by the projection thread, read by anyone.
 *
 * <p>The loop is <em>failing</em> from a run's failure until a later run completes a batch: restarting with fresh
 * clients is what it does on a failure, so a loop that keeps failing is stuck retrying, however alive its thread.
 */
final class ProjectionStatus {

  /**
   * A moment of the loop.
   *
   * @param failing       whether the last run failed and no run has completed a batch since
   * @param lastError     the last failure, or null
   * @param failures      runs that failed since the start
   * @param lastBatchAt   when a batch was last completed, or null if none yet
   * @param failingSince  when the current failing streak began, or null
   */
  record Snapshot(boolean failing, String lastError, long failures, Instant lastBatchAt, Instant failingSince) {
  }

  private final Clock clock;
  private volatile boolean failing;
  private volatile String lastError;
  private volatile long failures;
  private volatile Instant lastBatchAt;
  private volatile Instant failingSince;

  ProjectionStatus(Clock clock) {
    this.clock = clock;
  }

  void batchCompleted() {
    lastBatchAt = clock.instant();
    if (failing) {
      failing = false;
      failingSince = null;
    }
  }

  synchronized void failed(Throwable e) {
    lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    failures++;
    if (!failing) {
      failingSince = clock.instant();
      failing = true;
    }
  }

  Snapshot snapshot() {
    return new Snapshot(failing, lastError, failures, lastBatchAt, failingSince);
  }
}

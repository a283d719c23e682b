package dev.quench.callbacks.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * What delivery is doing, for health and the gauges. The runner writes its failures; the loop thread publishes what
 * it knows as one immutable {@link Progress} whenever that changed; health and scrapes read only these, never the
 * loop's own maps.
 *
 * <p>Delivery is <em>failing</em> from a run's failure until a later run has joined the group and completed a turn:
 * restarting with fresh clients is what the runner does on a failure, so one that keeps failing is stuck retrying,
 * however alive its thread.
 */
final class DeliveryStatus {

  /**
   * What one run of the loop knows, as of its last change.
   *
   * @param joined       whether this run has had its partitions assigned (none, possibly) since it subscribed
   * @param owned        the partitions of the log it owns
   * @param restoring    those of them still being folded: their callbacks wait
   * @param pending      callbacks of restored partitions that are due or waiting for a retry
   * @param earliestDue  when the earliest of those is (or was) due, or null if none is pending
   */
  record Progress(boolean joined, Set<Integer> owned, Set<Integer> restoring, int pending, Instant earliestDue) {

    /** A run that has not joined the group yet. */
    static final Progress NONE = new Progress(false, Set.of(), Set.of(), 0, null);

    Progress {
      owned = Set.copyOf(owned);
      restoring = Set.copyOf(restoring);
    }
  }

  /**
   * A moment of delivery.
   *
   * @param failing       whether the last run failed and no run has joined and completed a turn since
   * @param lastError     the last failure, or null
   * @param failures      runs that failed since the start
   * @param failingSince  when the current failing streak began, or null
   * @param progress      what the current run knows ({@link Progress#NONE} between runs)
   */
  record Snapshot(boolean failing, String lastError, long failures, Instant failingSince, Progress progress) {
  }

  private final Clock clock;
  private volatile boolean failing;
  private volatile String lastError;
  private volatile long failures;
  private volatile Instant failingSince;
  private volatile Progress progress = Progress.NONE;

  DeliveryStatus(Clock clock) {
    this.clock = clock;
  }

  /** The loop's thread, after a turn in which what it knows changed. */
  void published(Progress now) {
    progress = now;
    turnCompleted();
  }

  /** The loop's thread, after every turn. */
  void turnCompleted() {
    if (failing && progress.joined()) {
      failing = false;
      failingSince = null;
    }
  }

  /** The runner, when a run ended in {@code e}: what that run knew is gone with it. */
  synchronized void failed(Throwable e) {
    // The exception's class and message only: a message names a task, a partition or a host, never a secret.
    lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    failures++;
    progress = Progress.NONE;
    if (!failing) {
      failingSince = clock.instant();
      failing = true;
    }
  }

  /** The runner, when a run ended without failing (a stop). */
  void ended() {
    progress = Progress.NONE;
  }

  Snapshot snapshot() {
    return new Snapshot(failing, lastError, failures, failingSince, progress);
  }
}

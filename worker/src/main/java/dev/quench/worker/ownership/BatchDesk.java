package dev.quench.worker.ownership;

import dev.quench.events.BatchAbortRequested;
import dev.quench.events.BatchDecider;
import dev.quench.events.BatchShare;
import dev.quench.events.BatchTargets;
import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * The owner's part in cancellation batches: sequences a batch's records into the log, hands the due targets of each
 * share on as ordinary cancel requests ({@link BatchDecider}), decided like any other, cancels the late descendants
 * of a cascaded tree as they arrive, and records what an abort leaves alone. The pace of a batch is this class
 * handing on no target before its time.
 */
final class BatchDesk {

  private final TaskLedger ledger;
  private final Decisions decisions;
  private final RunningTasks running;
  private final String workerId;
  private final int handOnPerTurn;
  /** What {@link #handOnDue} last found, published for the meters: read from a scrape, never from the ledger. */
  private volatile Backlog backlog = new Backlog(0, 0);

  /**
   * The batches with targets still to hand on, as of the last turn.
   *
   * @param batches shares (a batch's part in one partition) with targets left
   * @param targets targets not yet handed on, paced or waiting for their turn
   */
  record Backlog(int batches, long targets) {
  }

  /** @param handOnPerTurn the most targets handed on in one turn, so one transaction stays small */
  BatchDesk(TaskLedger ledger, Decisions decisions, RunningTasks running, String workerId, int handOnPerTurn) {
    this.ledger = ledger;
    this.decisions = decisions;
    this.running = running;
    this.workerId = workerId;
    this.handOnPerTurn = handOnPerTurn;
  }

  /** A batch's record from the inbox of {@code partition}: sequenced once, however often it arrives. */
  void accept(Turn turn, int partition, Envelope request, Instant now) {
    PartitionState state = ledger.partition(partition);
    if (state.sequenced(request.eventId())) {
      return;
    }
    decisions.append(turn, partition, request);
    UUID batchId = UUID.fromString(request.taskId());
    if (request.event() instanceof BatchTargets targets && targets.cascadeRoot() != null) {
      // Descendants the api could not see yet when it accepted the cascade are in this tree all the same.
      Set<String> named = new HashSet<>(targets.taskIds());
      BatchShare share = state.share(batchId);
      for (TaskState task : state.liveInTreeOf(targets.cascadeRoot())) {
        if (!named.contains(task.taskId())) {
          request(turn, partition, BatchDecider.lateTarget(share, task.taskId(), workerId, now));
        }
      }
    } else if (request.event() instanceof BatchAbortRequested) {
      for (Envelope skipped : BatchDecider.skipRest(state.share(batchId), workerId, now)) {
        decisions.append(turn, partition, skipped);
      }
    }
  }

  /** A task just sequenced into {@code partition}: one that joins a cascaded tree is cancelled as it arrives. */
  void submitted(Turn turn, int partition, String taskId, Instant now) {
    PartitionState state = ledger.partition(partition);
    TaskState task = state.task(taskId);
    if (task == null || task.status() != TaskStatus.QUEUED) {
      return;
    }
    for (BatchShare share : state.cascadesOver(task)) {
      request(turn, partition, BatchDecider.lateTarget(share, taskId, workerId, now));
    }
  }

  /**
   * Hands on the due targets of the shares of {@code ready} partitions, at most {@link #handOnPerTurn} in all.
   *
   * @return when the next target not yet due is, or null if none is waiting
   */
  Instant handOnDue(Turn turn, Instant now, IntPredicate ready) {
    int budget = handOnPerTurn;
    Instant next = null;
    int pendingShares = 0;
    long pendingTargets = 0;
    for (int partition : ledger.partitions()) {
      if (!ready.test(partition)) {
        continue;
      }
      List<BatchShare> shares = new ArrayList<>(ledger.partition(partition).shares());
      for (BatchShare share : shares) {
        if (budget > 0) {
          List<Envelope> due = BatchDecider.handOn(share, workerId, now, budget);
          budget -= due.size();
          due.forEach(request -> request(turn, partition, request));
        }
        BatchShare after = ledger.partition(partition).share(share.batchId());
        Instant due = BatchDecider.nextDue(after);
        if (due != null && (next == null || due.isBefore(next))) {
          next = due;
        }
        if (after != null && after.pending()) {
          pendingShares++;
          pendingTargets += after.size() - after.handedOn();
        }
      }
    }
    backlog = new Backlog(pendingShares, pendingTargets);
    return next;
  }

  Backlog backlog() {
    return backlog;
  }

  /** A target's cancel request: its token first, if it runs here, then decided like any other cancel. */
  private void request(Turn turn, int partition, Envelope cancel) {
    running.cancel(cancel.taskId(), cancel.occurredAt());
    if (decisions.decide(turn, partition, new TaskCommand.Accept(cancel, workerId, cancel.occurredAt())).isEmpty()) {
      // The task already had this very request (a cascade's late target the api named too): the share moves on.
      ledger.partition(partition).handedOn(cancel);
    }
  }
}

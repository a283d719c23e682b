package dev.quench.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the owner of a partition decides for its share of a cancellation batch, as pure functions of the share: which
 * targets to hand on now, as ordinary cancel requests ({@link CancelRequested} carrying the batch), and what to
 * record for the targets an abort leaves alone. Each target's request is then decided like any other
 * ({@link TaskDecider}), so every target gets exactly one outcome.
 *
 * <p>Ids derive from the batch and the target, so a hand-on replayed after a crash names the same request, which the
 * task's state recognises and does not count twice.
 */
public final class BatchDecider {

  private BatchDecider() {
  }

  /**
   * The cancel requests of the targets due by {@code at}, oldest first, at most {@code limit}: none before its time
   * ({@link BatchShare#dueAt}), so a batch never runs faster than its rate.
   */
  public static List<Envelope> handOn(BatchShare share, String worker, Instant at, int limit) {
    List<Envelope> requests = new ArrayList<>();
    if (share == null || share.aborted()) {
      return requests;
    }
    long size = share.size();
    for (long n = share.handedOn(); n < size && requests.size() < limit && !share.dueAt(n).isAfter(at); n++) {
      BatchShare.Target target = share.target(n);
      requests.add(request(share, target.taskId(), target.chunk(), target.chunkEventId(), worker, at));
    }
    return requests;
  }

  /** When the next target is due, or null if none is left to hand on. */
  public static Instant nextDue(BatchShare share) {
    return share == null || !share.pending() ? null : share.dueAt(share.handedOn());
  }

  /**
   * The cancel request of a task that joined the cascaded tree after the batch was accepted (or that the api could
   * not yet see): a cancelled tree accepts no new live children, so it is cancelled as it arrives.
   */
  public static Envelope lateTarget(BatchShare share, String taskId, String worker, Instant at) {
    return request(share, taskId, null, null, worker, at);
  }

  /** After an abort: the targets never handed on, one record per chunk they came in; empty if none are left. */
  public static List<Envelope> skipRest(BatchShare share, String worker, Instant at) {
    List<Envelope> skipped = new ArrayList<>();
    if (share == null || !share.aborted()) {
      return skipped;
    }
    Map<Integer, List<String>> byChunk = new LinkedHashMap<>();
    for (long n = share.handedOn(); n < share.size(); n++) {
      BatchShare.Target target = share.target(n);
      byChunk.computeIfAbsent(target.chunk(), c -> new ArrayList<>()).add(target.taskId());
    }
    byChunk.forEach((chunk, taskIds) -> skipped.add(Envelope.of(
        Uuids.derive(share.batchId(), "skipped", chunk), share.batchId().toString(), share.tenant(), at, worker, null,
        share.correlationId(), new BatchTargetsSkipped(chunk, taskIds))));
    return skipped;
  }

  /** The id of the batch's cancel request for a task: the same however often it is handed on. */
  public static UUID requestId(UUID batchId, String taskId) {
    return Uuids.derive(batchId, "target", taskId);
  }

  private static Envelope request(BatchShare share, String taskId, Integer chunk, UUID cause, String worker,
                                  Instant at) {
    return Envelope.of(requestId(share.batchId(), taskId), taskId, share.tenant(), at, worker, cause,
        share.correlationId(), new CancelRequested(share.reason(), share.requestedBy(), null, null, List.of(),
            new BatchRef(share.batchId(), chunk)));
  }
}

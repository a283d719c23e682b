package dev.quench.api.batches;

import dev.quench.api.log.BatchStore;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchChunkView;
import dev.quench.events.TargetOutcome;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where a batch stands, from its report: how many targets ended each way, whether all are settled, and since when.
 * Targets of chunks this instance has not read yet count as pending.
 *
 * @param counts      targets by outcome, every outcome present
 * @param settled     whether every target it named is settled (decided, not found, or left by an abort)
 * @param completedAt when the last target was settled, if all are
 */
record BatchProgress(Map<TargetOutcome, Integer> counts, boolean settled, Instant completedAt) {

  static BatchProgress of(BatchStore.Snapshot batch) {
    Map<TargetOutcome, Integer> counts = new EnumMap<>(TargetOutcome.class);
    for (TargetOutcome outcome : TargetOutcome.values()) {
      counts.put(outcome, 0);
    }
    BatchAccepted accepted = batch.header().accepted();
    int named = 0;
    int numberedChunks = 0;
    Instant last = null;
    for (BatchChunkView chunk : batch.chunks()) {
      if (chunk.chunk() != null) {
        numberedChunks++;
      }
      for (BatchChunkView.Target target : chunk.targets()) {
        named++;
        counts.merge(target.outcome(), 1, Integer::sum);
        if (target.decidedAt() != null && (last == null || target.decidedAt().isAfter(last))) {
          last = target.decidedAt();
        }
      }
    }
    int unseen = Math.max(0, accepted.matched() + accepted.notFound() - named);
    counts.merge(TargetOutcome.PENDING, unseen, Integer::sum);
    boolean settled = numberedChunks >= accepted.chunks() && unseen == 0
        && counts.get(TargetOutcome.PENDING) == 0 && counts.get(TargetOutcome.REQUESTED) == 0;
    if (settled && last == null) {
      last = batch.header().abortRequestedAt() != null ? batch.header().abortRequestedAt()
          : batch.header().createdAt();
    }
    return new BatchProgress(counts, settled, settled ? last : null);
  }

  /** {@code accepted}, {@code running}, {@code completed} or {@code aborted}. */
  String status(BatchStore.Snapshot batch) {
    if (batch.header().abortRequestedAt() != null) {
      return "aborted";
    }
    if (settled) {
      return "completed";
    }
    boolean started = counts.entrySet().stream().anyMatch(count -> count.getValue() > 0
        && count.getKey() != TargetOutcome.PENDING && count.getKey() != TargetOutcome.NOT_FOUND);
    return started ? "running" : "accepted";
  }
}

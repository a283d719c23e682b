package dev.quench.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A record of the compacted batches topic: one chunk of a cancellation batch's targets (one {@link BatchTargets}
 * record, or the tasks of one partition that joined a cascaded tree late), each with what became of it so far.
 *
 * <p>Written by the projector only, keyed by {@link #key}, into the partition of the chunk's log partition, from the
 * batch's records and each target's cancel request and outcome sequenced there; rewritten at most once per poll of
 * the log.
 *
 * @param batchId   the batch
 * @param tenant    whose batch it is
 * @param chunk     the {@link BatchTargets} record's number, or null for late arrivals
 * @param partition the log partition its targets live in
 * @param targets   every target, in the order they are handed on
 * @param logOffset the offset of the last event folded into it
 */
public record BatchChunkView(UUID batchId, String tenant, Integer chunk, int partition, List<Target> targets,
                             long logOffset) {

  public BatchChunkView {
    targets = List.copyOf(targets);
  }

  /**
   * One target and what became of it.
   *
   * @param taskId      the task
   * @param outcome     what became of it so far
   * @param requestedAt when it was handed on, or null
   * @param decidedAt   when its outcome was decided, or null
   * @param forced      for a cancelled running task: whether its handler had to be stopped by force
   */
  public record Target(String taskId, TargetOutcome outcome, Instant requestedAt, Instant decidedAt, boolean forced) {
  }

  /** The record key of a chunk: {@code <batch>/<chunk>}, or {@code <batch>/late/<partition>}. */
  public static String key(UUID batchId, Integer chunk, int partition) {
    return chunk == null ? batchId + "/late/" + partition : batchId + "/" + chunk;
  }

  public String key() {
    return key(batchId, chunk, partition);
  }
}

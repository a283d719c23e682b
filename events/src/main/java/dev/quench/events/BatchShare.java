package dev.quench.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * One partition's share of a cancellation batch, as the owner of that partition folds its log ({@link #evolve}):
 * the targets it hands on, in order, how many of them it has handed on, and whether the batch was aborted. Restored
 * from the log like everything a worker knows, so a restarted or new owner goes on where the last one stopped.
 *
 * @param batchId       the batch
 * @param tenant        whose tasks the targets are
 * @param correlationId the {@code X-Request-Id} of the request that made the batch, carried by every target's cancel
 * @param reason        the reason every target's cancel carries, or null
 * @param requestedBy   the API key id every target's cancel names
 * @param pacedFrom     when the batch was accepted, where pacing counts from
 * @param perSecond     this partition's share of the batch's rate, or null for as fast as it goes
 * @param cascadeRoot   the root of the tree a cascade cancels, or null
 * @param chunks        the batch's records in this partition, in the order their targets are handed on
 * @param handedOn      how many targets, from the first, have been handed on (or skipped)
 * @param aborted       whether the batch was aborted: nothing more is handed on
 */
public record BatchShare(UUID batchId, String tenant, String correlationId, String reason, String requestedBy,
                         Instant pacedFrom, Double perSecond, String cascadeRoot, List<Chunk> chunks, long handedOn,
                         boolean aborted) {

  /**
   * One {@link BatchTargets} record of the share.
   *
   * @param chunk      its number within the batch
   * @param firstIndex where its first target stands among the share's targets
   * @param taskIds    its targets
   * @param eventId    the record's event id: what each of its targets' cancel requests was caused by
   */
  public record Chunk(int chunk, long firstIndex, List<String> taskIds, UUID eventId) {
  }

  public BatchShare {
    chunks = List.copyOf(chunks);
  }

  /** The share after {@code e}, an event of its partition's log; {@code share} is null before the first record. */
  public static BatchShare evolve(BatchShare share, Envelope e) {
    TaskEvent event = e.event();
    if (event instanceof BatchTargets targets) {
      return targets.notFound() ? share : withTargets(share, e, targets);
    }
    if (share == null) {
      return null;
    }
    if (event instanceof CancelRequested cancel && cancel.batch() != null
        && cancel.batch().batchId().equals(share.batchId) && cancel.batch().chunk() != null) {
      return share.handedOnTo(cancel.batch().chunk(), e.taskId());
    }
    if (event instanceof BatchTargetsSkipped) {
      return share.with(share.size(), true);
    }
    if (event instanceof BatchAbortRequested) {
      return share.with(share.handedOn, true);
    }
    return share;
  }

  /** How many targets the share has. */
  public long size() {
    if (chunks.isEmpty()) {
      return 0;
    }
    Chunk last = chunks.get(chunks.size() - 1);
    return last.firstIndex + last.taskIds.size();
  }

  /** The target at {@code index}, and the chunk that named it. */
  public Target target(long index) {
    for (Chunk chunk : chunks) {
      if (index >= chunk.firstIndex && index < chunk.firstIndex + chunk.taskIds.size()) {
        return new Target(chunk.chunk, chunk.taskIds.get((int) (index - chunk.firstIndex)), chunk.eventId);
      }
    }
    throw new IndexOutOfBoundsException("target " + index + " of a share of " + size());
  }

  /** A target: its task, and the chunk that named it. */
  public record Target(int chunk, String taskId, UUID chunkEventId) {
  }

  /** Whether targets are left to hand on. */
  public boolean pending() {
    return !aborted && handedOn < size();
  }

  /** When target {@code index} is due: never before {@code pacedFrom + index / perSecond}. */
  public Instant dueAt(long index) {
    if (perSecond == null) {
      return pacedFrom;
    }
    return pacedFrom.plusNanos((long) (index * 1_000_000_000.0 / perSecond));
  }

  /** The same share with {@code count} handed on and {@code aborted}. */
  public BatchShare with(long count, boolean abortedNow) {
    return new BatchShare(batchId, tenant, correlationId, reason, requestedBy, pacedFrom, perSecond, cascadeRoot,
        chunks, count, abortedNow);
  }

  private BatchShare handedOnTo(int chunkNumber, String taskId) {
    // Targets are handed on in order: the request for the next one is the common case, found without a search.
    if (handedOn < size()) {
      Target next = target(handedOn);
      if (next.chunk() == chunkNumber && next.taskId().equals(taskId)) {
        return with(handedOn + 1, aborted);
      }
    }
    for (Chunk chunk : chunks) {
      if (chunk.chunk == chunkNumber) {
        int at = chunk.taskIds.indexOf(taskId);
        return at < 0 ? this : with(Math.max(handedOn, chunk.firstIndex + at + 1), aborted);
      }
    }
    return this;
  }

  private static BatchShare withTargets(BatchShare share, Envelope e, BatchTargets targets) {
    if (share != null && share.chunks.stream().anyMatch(c -> c.chunk == targets.chunk())) {
      return share;
    }
    List<Chunk> chunks = new ArrayList<>(share == null ? List.of() : share.chunks);
    chunks.add(new Chunk(targets.chunk(), targets.firstIndex(), targets.taskIds(), e.eventId()));
    chunks.sort(Comparator.comparingLong(Chunk::firstIndex));
    UUID batchId = UUID.fromString(e.taskId());
    if (share == null) {
      return new BatchShare(batchId, e.tenant(), e.correlationId(), targets.reason(), targets.requestedBy(),
          targets.pacedFrom(), targets.perSecond(), targets.cascadeRoot(), chunks, 0, false);
    }
    return new BatchShare(batchId, share.tenant, share.correlationId, share.reason, share.requestedBy,
        share.pacedFrom, share.perSecond, share.cascadeRoot, chunks, share.handedOn, share.aborted);
  }
}

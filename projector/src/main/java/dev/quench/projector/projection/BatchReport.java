package dev.quench.projector.projection;

import dev.quench.events.BatchAbortRequested;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchRef;
import dev.quench.events.BatchTargets;
import dev.quench.events.BatchTargetsSkipped;
import dev.quench.events.BatchView;
import dev.quench.events.CancelNoOp;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TargetOutcome;
import dev.quench.events.TaskCancelled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fold of one log partition's cancellation-batch events into the records of the batches topic: the header of
 * each batch whose home is this partition ({@link BatchView}), and the report of each chunk of targets that lives here
 * ({@link BatchChunkView}), every target with what became of it. Each record remembers the last log offset folded
 * into it, and an event at or below it changes nothing, so a replay after a restart rewrites nothing.
 *
 * <p>Owned by the projection thread; not thread-safe.
 */
final class BatchReport {

  private final int partition;
  private final Map<UUID, BatchView> headers = new HashMap<>();
  private final Map<String, Chunk> chunks = new HashMap<>();
  /** Records changed and not yet drained ({@link #drainChanged}), by key, in the order they changed. */
  private final Map<String, Object> changed = new LinkedHashMap<>();
  /** The log offset of the earliest chunk change not written yet; -1 if none waits. */
  private long heldFrom = -1;

  BatchReport(int partition) {
    this.partition = partition;
  }

  /** Takes back what the batches topic held for this partition, as restored. */
  void restore(BatchView header) {
    headers.put(header.batchId(), header);
  }

  void restore(BatchChunkView view) {
    chunks.put(view.key(), Chunk.of(view));
  }

  /** Folds the event at {@code offset} of this partition's log. */
  void apply(Envelope e, long offset) {
    if (e.event() instanceof BatchAccepted || e.event() instanceof BatchAbortRequested) {
      header(e, offset);
    } else if (e.event() instanceof BatchTargets targets) {
      named(e, targets, offset);
    } else if (e.event() instanceof BatchTargetsSkipped skipped) {
      Chunk chunk = chunks.get(BatchChunkView.key(UUID.fromString(e.taskId()), skipped.chunk(), partition));
      if (chunk != null && chunk.accepts(offset)) {
        skipped.taskIds().forEach(taskId -> chunk.set(taskId, TargetOutcome.ABORTED, null, null, false));
        touched(chunk);
      }
    } else if (e.event() instanceof CancelRequested cancel && cancel.batch() != null) {
      Chunk chunk = chunkOf(cancel.batch(), e);
      if (chunk != null && chunk.accepts(offset)) {
        chunk.set(e.taskId(), TargetOutcome.REQUESTED, e.occurredAt(), null, false);
        touched(chunk);
      }
    } else if (e.event() instanceof TaskCancelled cancelled && cancelled.batch() != null) {
      decided(cancelled.batch(), e, offset, cancelled.forced());
    } else if (e.event() instanceof CancelNoOp noOp && noOp.batch() != null) {
      decided(noOp.batch(), e, offset, false);
    }
  }

  private void named(Envelope e, BatchTargets targets, long offset) {
    UUID batchId = UUID.fromString(e.taskId());
    String key = BatchChunkView.key(batchId, targets.chunk(), partition);
    if (!chunks.containsKey(key)) {
      TargetOutcome start = targets.notFound() ? TargetOutcome.NOT_FOUND : TargetOutcome.PENDING;
      Chunk chunk = new Chunk(batchId, e.tenant(), targets.chunk(), partition, offset);
      targets.taskIds().forEach(taskId -> chunk.add(taskId, start));
      chunks.put(key, chunk);
      touched(chunk);
    }
  }

  /** The key of a record of the batches topic. */
  static String keyOf(Object batchRecord) {
    return batchRecord instanceof BatchView header ? BatchView.key(header.batchId())
        : ((BatchChunkView) batchRecord).key();
  }

  /**
   * The records changed since they were last drained, for the projection to write; forgets them. Headers, and chunks
   * whose every target is settled, always; a chunk still under way only with {@code allChunks}. A chunk holds up to
   * a thousand targets and every request and outcome of one changes it: written after every poll that touched it, a
   * batch paced at 500 targets a second rewrote its chunks (~150 KB each) dozens of times a second, and every api
   * instance decoded them all, behind them the views it serves. Its progress is written every
   * {@code report-interval} instead, and the moment it settles at once, so a batch still shows {@code completed} as
   * soon as its last target is decided.
   */
  List<Object> drainChanged(boolean allChunks) {
    List<Object> views = new ArrayList<>();
    Iterator<Object> changedOnes = changed.values().iterator();
    while (changedOnes.hasNext()) {
      Object changedOne = changedOnes.next();
      if (!(changedOne instanceof Chunk chunk)) {
        views.add(changedOne);
        changedOnes.remove();
      } else if (allChunks || chunk.settled()) {
        views.add(chunk.view());
        changedOnes.remove();
      }
    }
    if (changed.isEmpty()) {
      heldFrom = -1;
    }
    return views;
  }

  /** Whether changes wait to be written: chunks under way, until the next {@code drainChanged(true)}. */
  boolean holdsChanges() {
    return !changed.isEmpty();
  }

  /**
   * The log offset of the earliest change that waits to be written, or -1: the projection commits no offset past it,
   * so a restart folds it again.
   */
  long heldFrom() {
    return heldFrom;
  }

  /** Every record of this partition: what a rebuild writes. */
  List<Object> all() {
    List<Object> views = new ArrayList<>(headers.values());
    chunks.values().forEach(chunk -> views.add(chunk.view()));
    return views;
  }

  Collection<BatchView> headers() {
    return headers.values();
  }

  private void header(Envelope e, long offset) {
    UUID batchId = UUID.fromString(e.taskId());
    BatchView next = BatchView.next(headers.get(batchId), e, partition, offset);
    if (next != null) {
      headers.put(batchId, next);
      changed.put(BatchView.key(batchId), next);
    }
  }

  private void decided(BatchRef batch, Envelope e, long offset, boolean forced) {
    Chunk chunk = chunkOf(batch, e);
    if (chunk != null && chunk.accepts(offset)) {
      chunk.set(e.taskId(), TargetOutcome.of(e.event()), null, e.occurredAt(), forced);
      touched(chunk);
    }
  }

  /** The chunk a target's request or outcome belongs to; a late arrival of a cascade gets this partition's own. */
  private Chunk chunkOf(BatchRef batch, Envelope e) {
    String key = BatchChunkView.key(batch.batchId(), batch.chunk(), partition);
    Chunk chunk = chunks.get(key);
    if (chunk == null && batch.chunk() == null) {
      chunk = new Chunk(batch.batchId(), e.tenant(), null, partition, -1);
      chunks.put(key, chunk);
    }
    return chunk;
  }

  private void touched(Chunk chunk) {
    changed.put(chunk.key(), chunk);
    if (heldFrom < 0) {
      // The first change since everything was written, so the earliest of those waiting: offsets only grow.
      heldFrom = chunk.logOffset;
    }
  }

  /** One chunk's targets as they stand, kept mutable so a thousand targets are not copied per event. */
  private static final class Chunk {
    private final UUID batchId;
    private final String tenant;
    private final Integer number;
    private final int partition;
    private final Map<String, Integer> positions = new HashMap<>();
    private final List<BatchChunkView.Target> targets = new ArrayList<>();
    private long logOffset;

    Chunk(UUID batchId, String tenant, Integer number, int partition, long logOffset) {
      this.batchId = batchId;
      this.tenant = tenant;
      this.number = number;
      this.partition = partition;
      this.logOffset = logOffset;
    }

    static Chunk of(BatchChunkView view) {
      Chunk chunk = new Chunk(view.batchId(), view.tenant(), view.chunk(), view.partition(), view.logOffset());
      view.targets().forEach(target -> {
        chunk.positions.put(target.taskId(), chunk.targets.size());
        chunk.targets.add(target);
      });
      return chunk;
    }

    String key() {
      return BatchChunkView.key(batchId, number, partition);
    }

    void add(String taskId, TargetOutcome outcome) {
      if (!positions.containsKey(taskId)) {
        positions.put(taskId, targets.size());
        targets.add(new BatchChunkView.Target(taskId, outcome, null, null, false));
      }
    }

    /** Whether the event at {@code offset} is new to this chunk; if so, the chunk now reflects it. */
    boolean accepts(long offset) {
      if (offset <= logOffset) {
        return false;
      }
      logOffset = offset;
      return true;
    }

    /** Sets a target's outcome, keeping what it knew of the times; a late arrival is added. */
    void set(String taskId, TargetOutcome outcome, Instant requestedAt, Instant decidedAt, boolean forced) {
      Integer at = positions.get(taskId);
      if (at == null) {
        if (number != null) {
          return;
        }
        add(taskId, outcome);
        at = positions.get(taskId);
      }
      BatchChunkView.Target before = targets.get(at);
      targets.set(at, new BatchChunkView.Target(taskId, outcome,
          requestedAt != null ? requestedAt : before.requestedAt(),
          decidedAt != null ? decidedAt : before.decidedAt(), forced || before.forced()));
    }

    /** Whether nothing more will happen to any of its targets (until a late arrival joins a cascade's chunk). */
    boolean settled() {
      for (BatchChunkView.Target target : targets) {
        if (!target.outcome().settled()) {
          return false;
        }
      }
      return true;
    }

    BatchChunkView view() {
      return new BatchChunkView(batchId, tenant, number, partition, targets, logOffset);
    }
  }
}

package dev.quench.worker.ownership;

import dev.quench.events.BatchShare;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Everything known about one owned partition, as the fold of its log: its tasks, its shares of cancellation batches,
 * and the ids of the batch records it already sequenced. Restored from the log on assignment ({@link LogRestore}),
 * kept current by folding each decided event ({@link #apply}). Owned by the owner thread; not thread-safe.
 */
final class PartitionState {

  private final Map<String, TaskState> tasks;
  private final Map<UUID, BatchShare> shares = new HashMap<>();
  /** Batch records already in the log: the api's requests are copied once, however often they arrive. */
  private final Set<UUID> batchRecords = new HashSet<>();

  PartitionState() {
    this(new HashMap<>());
  }

  private PartitionState(Map<String, TaskState> tasks) {
    this.tasks = tasks;
  }

  /** Folds one event of the partition's log; returns the task's state before and after it (null if no task's). */
  Change apply(Envelope e) {
    if (e.type().ofBatch()) {
      batchRecords.add(e.eventId());
      shares.compute(UUID.fromString(e.taskId()), (id, share) -> BatchShare.evolve(share, e));
      return null;
    }
    if (e.event() instanceof CancelRequested cancel && cancel.batch() != null) {
      shares.computeIfPresent(cancel.batch().batchId(), (id, share) -> BatchShare.evolve(share, e));
    }
    TaskState before = tasks.get(e.taskId());
    TaskState after = TaskState.evolve(before, e);
    if (after == null) {
      return null;
    }
    tasks.put(e.taskId(), after.withoutPayload());
    return new Change(before, after);
  }

  /** Counts a target's request as handed on without it being written: the task had it already. */
  void handedOn(Envelope cancel) {
    if (cancel.event() instanceof CancelRequested request && request.batch() != null) {
      shares.computeIfPresent(request.batch().batchId(), (id, share) -> BatchShare.evolve(share, cancel));
    }
  }

  /** A task's state before and after an event. */
  record Change(TaskState before, TaskState after) {
  }

  TaskState task(String taskId) {
    return tasks.get(taskId);
  }

  Collection<TaskState> tasks() {
    return tasks.values();
  }

  boolean sequenced(UUID batchRecord) {
    return batchRecords.contains(batchRecord);
  }

  BatchShare share(UUID batchId) {
    return shares.get(batchId);
  }

  Collection<BatchShare> shares() {
    return shares.values();
  }

  /** The shares of batches that cascade over a tree {@code task} is in, and that were not aborted. */
  List<BatchShare> cascadesOver(TaskState task) {
    return shares.values().stream()
        .filter(share -> share.cascadeRoot() != null && !share.aborted() && task.inTreeOf(share.cascadeRoot()))
        .toList();
  }

  /** Tasks of this partition in the tree of {@code root}, not yet ended. */
  List<TaskState> liveInTreeOf(String root) {
    return tasks.values().stream().filter(t -> !t.status().terminal() && t.inTreeOf(root)).toList();
  }
}

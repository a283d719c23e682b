package dev.quench.worker.ownership;

import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The state of every partition this worker owns ({@link PartitionState}), and the queue of tasks waiting for a slot.
 * The queue is part of the state, not of a thread pool: it is rebuilt from the log on assignment, so a restart neither
 * loses a queued task nor runs one that was cancelled while waiting. Owned by the owner thread; not thread-safe.
 */
final class TaskLedger {

  /** A queued task, in the order tasks start: oldest submission first. */
  record Queued(Instant createdAt, int partition, String taskId) {
  }

  private static final Comparator<Queued> START_ORDER = Comparator.comparing(Queued::createdAt)
      .thenComparingInt(Queued::partition).thenComparing(Queued::taskId);

  private final Map<Integer, PartitionState> byPartition = new HashMap<>();
  private final TreeSet<Queued> queue = new TreeSet<>(START_ORDER);

  /** Takes over a partition with the state restored from its log. */
  void load(int partition, PartitionState state) {
    drop(partition);
    byPartition.put(partition, state);
    state.tasks().forEach(task -> enqueueIfQueued(partition, task));
  }

  /** Forgets a partition that is no longer ours. */
  void drop(int partition) {
    byPartition.remove(partition);
    queue.removeIf(q -> q.partition() == partition);
  }

  void clear() {
    byPartition.clear();
    queue.clear();
  }

  boolean owns(int partition) {
    return byPartition.containsKey(partition);
  }

  Set<Integer> partitions() {
    return Set.copyOf(byPartition.keySet());
  }

  PartitionState partition(int partition) {
    return byPartition.get(partition);
  }

  TaskState get(int partition, String taskId) {
    PartitionState state = byPartition.get(partition);
    return state == null ? null : state.task(taskId);
  }

  /** Folds a decided event into the ledger; the caller has made sure the partition is owned. */
  void apply(int partition, Envelope event) {
    PartitionState.Change change = byPartition.get(partition).apply(event);
    if (change == null) {
      return;
    }
    TaskState before = change.before();
    boolean wasQueued = before != null && before.status() == TaskStatus.QUEUED;
    boolean isQueued = change.after().status() == TaskStatus.QUEUED;
    if (wasQueued && !isQueued) {
      queue.remove(new Queued(before.createdAt(), partition, before.taskId()));
    } else if (isQueued && !wasQueued) {
      enqueueIfQueued(partition, change.after());
    }
  }

  /** The queued tasks of {@code startable} partitions in start order, at most {@code limit}, left in the queue. */
  List<Queued> nextQueued(int limit, IntPredicate startable) {
    List<Queued> next = new ArrayList<>(Math.min(limit, queue.size()));
    for (Queued q : queue) {
      if (next.size() == limit) {
        break;
      }
      if (startable.test(q.partition())) {
        next.add(q);
      }
    }
    return next;
  }

  int queued() {
    return queue.size();
  }

  /** Tasks the log says are running on this partition. */
  List<TaskState> running(int partition) {
    PartitionState state = byPartition.get(partition);
    return state == null ? List.of()
        : state.tasks().stream().filter(s -> s.status() == TaskStatus.RUNNING).toList();
  }

  private void enqueueIfQueued(int partition, TaskState state) {
    if (state.status() == TaskStatus.QUEUED) {
      queue.add(new Queued(state.createdAt(), partition, state.taskId()));
    }
  }
}

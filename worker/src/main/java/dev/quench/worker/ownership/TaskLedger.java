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
 * The state of every task on the partitions this worker owns, and the queue of those waiting for a slot. The queue is
 * part of the state, not of a thread pool: it is rebuilt from the log on assignment, so a restart neither loses a
 * queued task nor runs one that was cancelled while waiting. Owned by the owner thread; not thread-safe.
 */
final class TaskLedger {

  /** A queued task, in the order tasks start: oldest submission first. */
  record Queued(Instant createdAt, int partition, String taskId) {
  }

  private static final Comparator<Queued> START_ORDER = Comparator.comparing(Queued::createdAt)
      .thenComparingInt(Queued::partition).thenComparing(Queued::taskId);

  private final Map<Integer, Map<String, TaskState>> byPartition = new HashMap<>();
  private final TreeSet<Queued> queue = new TreeSet<>(START_ORDER);

  /** Takes over a partition with its restored tasks. */
  void load(int partition, Map<String, TaskState> tasks) {
    drop(partition);
    Map<String, TaskState> states = new HashMap<>(tasks.size() * 2);
    tasks.forEach((id, state) -> states.put(id, state.withoutPayload()));
    byPartition.put(partition, states);
    states.values().forEach(state -> enqueueIfQueued(partition, state));
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

  TaskState get(int partition, String taskId) {
    Map<String, TaskState> states = byPartition.get(partition);
    return states == null ? null : states.get(taskId);
  }

  /** Folds a decided event into the ledger; the caller has made sure the partition is owned. */
  void apply(int partition, Envelope event) {
    Map<String, TaskState> states = byPartition.get(partition);
    TaskState before = states.get(event.taskId());
    TaskState after = TaskState.evolve(before, event);
    if (after == null) {
      return;
    }
    boolean wasQueued = before != null && before.status() == TaskStatus.QUEUED;
    boolean isQueued = after.status() == TaskStatus.QUEUED;
    if (wasQueued && !isQueued) {
      queue.remove(new Queued(before.createdAt(), partition, before.taskId()));
    } else if (isQueued && !wasQueued) {
      enqueueIfQueued(partition, after);
    }
    states.put(event.taskId(), after.withoutPayload());
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
    Map<String, TaskState> states = byPartition.getOrDefault(partition, Map.of());
    return states.values().stream().filter(s -> s.status() == TaskStatus.RUNNING).toList();
  }

  private void enqueueIfQueued(int partition, TaskState state) {
    if (state.status() == TaskStatus.QUEUED) {
      queue.add(new Queued(state.createdAt(), partition, state.taskId()));
    }
  }
}

package dev.quench.callbacks.delivery;

import dev.quench.events.CallbackDelivery;
import dev.quench.events.CallbackSchedule;
import dev.quench.events.CallbackStatus;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskState;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What one deliverer knows of the partitions it owns: per partition, the tasks whose callback is not settled yet, as
 * the fold of that partition of the log; which partitions are still being restored; and which callbacks are due or
 * out being sent. A callback is never due while its partition is restoring, so a delivery a previous owner began
 * resumes at the attempt the log says. Touched only by the delivery loop's thread.
 */
final class OwnedCallbacks {

  private static final String SUBMITTED = EventType.TASK_SUBMITTED.wire();

  /** A callback to send now: attempt {@code attempt} of the task's delivery. */
  record Due(int partition, TaskState task, int attempt) {
  }

  private final EventCodec codec;
  private final CallbackSchedule schedule;
  /** The tasks with a callback not yet settled, per owned partition. */
  private final Map<Integer, Map<String, TaskState>> tasks = new HashMap<>();
  /** Owned partitions still being folded, and the offset that ends their restore. */
  private final Map<Integer, Long> restoringTo = new HashMap<>();
  /** Tasks whose callback is due or will be: partition by task. */
  private final Map<String, Integer> pending = new LinkedHashMap<>();
  /** Attempt numbers being sent, by task. */
  private final Map<String, Integer> inFlight = new HashMap<>();
  private boolean changed;

  OwnedCallbacks(EventCodec codec, CallbackSchedule schedule) {
    this.codec = codec;
    this.schedule = schedule;
  }

  /** A partition is ours: nothing of it is due until it is folded up to {@code restoreTo}. */
  void own(int partition, long restoreTo) {
    changed = true;
    tasks.put(partition, new HashMap<>());
    restoringTo.put(partition, restoreTo);
  }

  /** A partition is no longer ours: whatever it had pending is its next owner's. */
  void release(int partition) {
    changed = true;
    tasks.remove(partition);
    restoringTo.remove(partition);
    pending.values().removeIf(p -> p == partition);
  }

  Set<Integer> owned() {
    return tasks.keySet();
  }

  Set<Integer> restoring() {
    return restoringTo.keySet();
  }

  /**
   * Ends the restore of every partition folded up to its end.
   *
   * @param position how far the consumer has read a partition
   * @return the partitions whose restore ended now
   */
  List<Integer> restored(IntToLongFunction position) {
    List<Integer> done = new ArrayList<>();
    restoringTo.entrySet().removeIf(entry -> {
      boolean ended = position.applyAsLong(entry.getKey()) >= entry.getValue();
      if (ended) {
        done.add(entry.getKey());
      }
      return ended;
    });
    changed |= !done.isEmpty();
    return done;
  }

  /** How many callbacks of the partition are due or will be. */
  long pendingIn(int partition) {
    return pending.values().stream().filter(p -> p == partition).count();
  }

  /** A record of the log, from an owned partition or not. */
  void fold(ConsumerRecord<byte[], byte[]> record) {
    Map<String, TaskState> partition = tasks.get(record.partition());
    if (partition == null || !worthDecoding(record, partition)) {
      return;
    }
    Envelope e;
    try {
      e = codec.decode(record.value());
    } catch (UndecodableRecordException ex) {
      // The projector dead-letters what cannot be read; here it is simply not a callback.
      return;
    }
    if (e.type().ofBatch()) {
      return;
    }
    TaskState before = partition.get(e.taskId());
    if (before == null && !(e.event() instanceof TaskSubmitted s && s.callback() != null)) {
      return;
    }
    track(record.partition(), TaskState.evolve(before, e));
  }

  /**
   * Whether a record can matter to a callback, told from its key and CloudEvents type alone: the deliverer follows
   * the whole log, and most of it belongs to tasks that asked for none, so only a submission (which may ask for one)
   * or a record of a task already followed is decoded. A record without the header is decoded, to be sure.
   */
  private static boolean worthDecoding(ConsumerRecord<byte[], byte[]> record, Map<String, TaskState> partition) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    if (type == null || record.key() == null) {
      return true;
    }
    return SUBMITTED.equals(new String(type.value(), StandardCharsets.UTF_8))
        || partition.containsKey(new String(record.key(), StandardCharsets.UTF_8));
  }

  /** This deliverer's own record of an attempt; it comes back through the log too, and the fold takes it once. */
  void recorded(int partition, Envelope attempt) {
    Map<String, TaskState> owned = tasks.get(partition);
    if (owned != null) {
      track(partition, TaskState.evolve(owned.get(attempt.taskId()), attempt));
    }
  }

  /** Keeps what a task's callback still needs, or forgets the task once its callback is settled. */
  private void track(int partition, TaskState task) {
    if (task == null) {
      return;
    }
    changed = true;
    if (task.callback() == null || task.callback().status() != CallbackStatus.PENDING) {
      tasks.get(partition).remove(task.taskId());
      pending.remove(task.taskId());
      return;
    }
    tasks.get(partition).put(task.taskId(), task);
    if (task.callback().due()) {
      pending.put(task.taskId(), partition);
    }
  }

  /** The callbacks due by {@code now} that are not out already, each then counted as out being sent. */
  List<Due> takeDue(Instant now) {
    List<Due> due = new ArrayList<>();
    for (Map.Entry<String, Integer> p : pending.entrySet()) {
      String taskId = p.getKey();
      if (inFlight.containsKey(taskId) || restoringTo.containsKey(p.getValue())) {
        continue;
      }
      TaskState task = tasks.get(p.getValue()).get(taskId);
      Instant at = dueAt(task.callback());
      if (at == null || at.isAfter(now)) {
        continue;
      }
      int attempt = task.callback().attemptCount() + 1;
      inFlight.put(taskId, attempt);
      due.add(new Due(p.getValue(), task, attempt));
    }
    return due;
  }

  /** Whether any callback is out being sent. */
  boolean sending() {
    return !inFlight.isEmpty();
  }

  /**
   * A send came back.
   *
   * @return the task it was for, still ours and still at that attempt; null if the partition was revoked meanwhile
   *     or another owner settled it, since then the partition's owner decides
   */
  TaskState cameBack(int partition, String taskId, int attempt) {
    inFlight.remove(taskId);
    Map<String, TaskState> owned = tasks.get(partition);
    TaskState task = owned == null ? null : owned.get(taskId);
    if (task == null || !task.callback().due() || task.callback().attemptCount() + 1 != attempt) {
      return null;
    }
    return task;
  }

  /** When the earliest callback not out yet is due, or null if none is. */
  Instant nextDue() {
    Instant earliest = null;
    for (Map.Entry<String, Integer> p : pending.entrySet()) {
      if (restoringTo.containsKey(p.getValue()) || inFlight.containsKey(p.getKey())) {
        continue;
      }
      Instant due = dueAt(tasks.get(p.getValue()).get(p.getKey()).callback());
      if (due != null && (earliest == null || due.isBefore(earliest))) {
        earliest = due;
      }
    }
    return earliest;
  }

  /**
   * What health and the gauges are told, if anything changed since the last call: the partitions owned and
   * restoring, the callbacks pending in restored partitions, and when the earliest of them is due.
   */
  DeliveryStatus.Progress progressIfChanged(boolean joined) {
    if (!changed) {
      return null;
    }
    changed = false;
    int count = 0;
    Instant earliest = null;
    for (Map.Entry<String, Integer> p : pending.entrySet()) {
      if (restoringTo.containsKey(p.getValue())) {
        continue;
      }
      count++;
      Instant due = dueAt(tasks.get(p.getValue()).get(p.getKey()).callback());
      if (due != null && (earliest == null || due.isBefore(earliest))) {
        earliest = due;
      }
    }
    return new DeliveryStatus.Progress(joined, new HashSet<>(tasks.keySet()), new HashSet<>(restoringTo.keySet()),
        count, earliest);
  }

  /** Marks what health was told as out of date (a rebalance with no partitions changes it too). */
  void touch() {
    changed = true;
  }

  private Instant dueAt(CallbackDelivery delivery) {
    if (delivery == null || !delivery.due()) {
      return null;
    }
    return delivery.attemptCount() == 0 ? schedule.firstAttempt(delivery.nextAttemptAt()) : delivery.nextAttemptAt();
  }
}

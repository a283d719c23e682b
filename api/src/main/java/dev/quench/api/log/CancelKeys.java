package dev.quench.api.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tasks each {@code Idempotency-Key} of a cancel was used on, by the key's id
 * ({@link dev.quench.events.CancelRequested#idempotencyKeyId()}), within the keys' retention: what tells a key reused
 * on another task's cancel from a new request. An index of what the replica reads anyway (the views' cancel records,
 * the requests no view reflects yet), not a store: rebuilt from them at every start, and forgetting keys past their
 * retention.
 */
final class CancelKeys {

  private record Use(String taskId, Instant at) {
  }

  private final Map<UUID, List<Use>> uses = new ConcurrentHashMap<>();

  /** The key was used on this task at {@code at}; the first use on a task counts, as the retention runs from it. */
  void record(UUID keyId, String taskId, Instant at) {
    uses.compute(keyId, (id, known) -> {
      if (known != null && known.stream().anyMatch(u -> u.taskId.equals(taskId))) {
        return known;
      }
      List<Use> more = known == null ? new ArrayList<>() : new ArrayList<>(known);
      more.add(new Use(taskId, at));
      return List.copyOf(more);
    });
  }

  /** A task other than {@code taskId} the key was used on at or after {@code since}, or null. */
  String otherTask(UUID keyId, String taskId, Instant since) {
    List<Use> known = uses.get(keyId);
    if (known == null) {
      return null;
    }
    return known.stream().filter(u -> !u.taskId.equals(taskId) && !u.at.isBefore(since)).map(Use::taskId)
        .findFirst().orElse(null);
  }

  /** Forgets uses before {@code cutoff}: their keys may start new requests now. */
  void forgetBefore(Instant cutoff) {
    for (UUID keyId : uses.keySet()) {
      uses.computeIfPresent(keyId, (id, known) -> {
        List<Use> recent = known.stream().filter(u -> !u.at.isBefore(cutoff)).toList();
        return recent.isEmpty() ? null : recent;
      });
    }
  }

  int size() {
    return uses.size();
  }
}

package dev.quench.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a whole log against the invariants of docs/architecture.md §5 that the log alone can show:
 * <ol>
 *   <li>a task has at most one terminal event;</li>
 *   <li>every {@link CancelRequested} has exactly one outcome, {@link TaskCancelled} or {@link CancelNoOp}, whose
 *       causation id is its event id, and every outcome answers a request of its task;</li>
 *   <li>a task cancelled while queued never starts afterwards;</li>
 * </ol>
 * that a callback's events ({@link EventType#ofCallback()}) come only after its task's terminal event, name it as
 * their cause, and settle (delivered or given up) at most once (invariant 11), that no event id appears twice (a
 * decision written twice would break exactly-once, invariant 5), and, per cancellation batch (invariant 10), that each
 * target it named is handed on at most once and never also skipped, and that no cancel request claims a batch's chunk
 * that never named its task.
 */
public final class LogAudit {

  /**
   * What the audit found.
   *
   * @param tasks          distinct task ids seen
   * @param events         events read
   * @param cancelRequests distinct cancel requests seen
   * @param batches        distinct cancellation batches seen
   * @param batchTargets   targets those batches named to hand on
   * @param targetsPending of those, the ones neither handed on nor skipped yet: 0 on a quiet system
   * @param violations     one line per broken invariant; empty when the log is sound
   */
  public record Report(int tasks, int events, int cancelRequests, int batches, long batchTargets,
                       long targetsPending, List<String> violations) {
    public boolean sound() {
      return violations.isEmpty();
    }
  }

  private LogAudit() {
  }

  /** Audits {@code log}: the events of each task must be in log order; tasks may interleave. */
  public static Report audit(Iterable<Envelope> log) {
    Map<String, List<Envelope>> byTask = new LinkedHashMap<>();
    Map<UUID, BatchLedger> batches = new LinkedHashMap<>();
    Set<UUID> seen = new HashSet<>();
    List<String> violations = new ArrayList<>();
    int events = 0;
    for (Envelope e : log) {
      events++;
      if (!seen.add(e.eventId())) {
        violations.add("event " + e.eventId() + " (" + e.type().wire() + ", task " + e.taskId() + ") appears twice");
        continue;
      }
      if (e.type().ofBatch()) {
        batches.computeIfAbsent(UUID.fromString(e.taskId()), BatchLedger::new).add(e);
        continue;
      }
      if (e.event() instanceof CancelRequested cancel && cancel.batch() != null) {
        batches.computeIfAbsent(cancel.batch().batchId(), BatchLedger::new).requested(e, cancel.batch());
      }
      byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
    }
    int cancelRequests = 0;
    for (Map.Entry<String, List<Envelope>> task : byTask.entrySet()) {
      cancelRequests += auditTask(task.getKey(), task.getValue(), violations);
    }
    long targets = 0;
    long pending = 0;
    for (BatchLedger batch : batches.values()) {
      batch.audit(violations);
      targets += batch.targets.size();
      pending += batch.pending();
    }
    return new Report(byTask.size(), events, cancelRequests, batches.size(), targets, pending,
        List.copyOf(violations));
  }

  /** What one batch named, handed on and skipped, across every partition. */
  private static final class BatchLedger {
    private final UUID batchId;
    /** Target to the chunk that named it. */
    private final Map<String, Integer> targets = new HashMap<>();
    private final Map<String, Integer> requests = new HashMap<>();
    private final Set<String> skipped = new HashSet<>();
    private final List<String> strays = new ArrayList<>();
    private final Set<Integer> chunks = new HashSet<>();

    BatchLedger(UUID batchId) {
      this.batchId = batchId;
    }

    void add(Envelope e) {
      if (e.event() instanceof BatchTargets named && !named.notFound() && chunks.add(named.chunk())) {
        named.taskIds().forEach(t -> targets.putIfAbsent(t, named.chunk()));
      } else if (e.event() instanceof BatchTargetsSkipped left) {
        skipped.addAll(left.taskIds());
      }
    }

    void requested(Envelope e, BatchRef ref) {
      requests.merge(e.taskId(), 1, Integer::sum);
      if (ref.chunk() != null && !ref.chunk().equals(targets.get(e.taskId()))) {
        strays.add(e.taskId() + " (chunk " + ref.chunk() + ")");
      }
    }

    void audit(List<String> violations) {
      requests.forEach((task, count) -> {
        if (count > 1) {
          violations.add("batch " + batchId + " handed task " + task + " on " + count + " times");
        }
        if (skipped.contains(task)) {
          violations.add("batch " + batchId + " both handed on and skipped task " + task);
        }
      });
      strays.forEach(stray -> violations.add("batch " + batchId + " requested a cancel of " + stray
          + ", which that chunk never named"));
    }

    long pending() {
      return targets.keySet().stream().filter(t -> !requests.containsKey(t) && !skipped.contains(t)).count();
    }
  }

  private static int auditTask(String taskId, List<Envelope> history, List<String> violations) {
    int terminals = 0;
    boolean cancelledWhileQueued = false;
    Map<UUID, Integer> outcomes = new LinkedHashMap<>();
    Map<UUID, Integer> orphanOutcomes = new HashMap<>();
    UUID terminalId = null;
    int callbackSettled = 0;
    for (Envelope e : history) {
      EventType type = e.type();
      if (type.ofCallback()) {
        if (terminalId == null || !terminalId.equals(e.causationId())) {
          violations.add("task " + taskId + " has callback event " + e.eventId() + " (" + type.wire()
              + ") that does not follow and name its terminal event");
        } else if (callbackSettled > 0) {
          violations.add("task " + taskId + " has callback event " + e.eventId() + " (" + type.wire()
              + ") after its callback was settled");
        }
        if (type != EventType.CALLBACK_ATTEMPTED) {
          callbackSettled++;
        }
        continue;
      }
      if (type.terminal() && terminalId == null) {
        terminalId = e.eventId();
      }
      if (type.terminal()) {
        terminals++;
      }
      if (type == EventType.TASK_STARTED && cancelledWhileQueued) {
        violations.add("task " + taskId + " started after it was cancelled while queued");
      }
      if (e.event() instanceof TaskCancelled cancelled && cancelled.was() == TaskStatus.QUEUED) {
        cancelledWhileQueued = true;
      }
      if (type == EventType.CANCEL_REQUESTED) {
        outcomes.putIfAbsent(e.eventId(), 0);
      } else if (type.cancelOutcome()) {
        if (e.causationId() != null && outcomes.containsKey(e.causationId())) {
          outcomes.merge(e.causationId(), 1, Integer::sum);
        } else {
          orphanOutcomes.merge(e.causationId(), 1, Integer::sum);
        }
      }
    }
    if (terminals > 1) {
      violations.add("task " + taskId + " has " + terminals + " terminal events");
    }
    outcomes.forEach((request, count) -> {
      if (count != 1) {
        violations.add("cancel request " + request + " of task " + taskId + " has " + count + " outcomes");
      }
    });
    orphanOutcomes.forEach((cause, count) -> violations.add(
        "task " + taskId + " has " + count + " cancel outcome(s) naming " + cause + ", which is no earlier request"));
    return outcomes.size();
  }
}

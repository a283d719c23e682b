package dev.quench.standalone.chaos;

import dev.quench.events.BatchAbortRequested;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchDecider;
import dev.quench.events.BatchSelection;
import dev.quench.events.BatchTargets;
import dev.quench.events.BatchTargetsSkipped;
import dev.quench.events.CancelNoOp;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.NoOpReason;
import dev.quench.events.TargetOutcome;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.standalone.chaos.LoadDriver.Acknowledged;
import dev.quench.standalone.chaos.LogCheck.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The checks of the run's cancellation batches (docs/architecture.md §8, invariant 10), on the log alone but for
 * what only the client knows (what it was answered, and when it sent what):
 * <ul>
 *   <li>every acknowledged batch is in the log, whole (all its target records), as it was answered; every abort the
 *       api said it recorded is too;</li>
 *   <li>every target has exactly one outcome for the batch: one cancel request (the batch's, by its derived id) with
 *       one answer, or, after an abort, a skip; ids of no task are never requested;</li>
 *   <li>every batch has settled once the system is quiet: {@code completed}, or {@code aborted} if it was;</li>
 *   <li>an outcome agrees with its task's history: a target reported cancelled ends with that very event, one
 *       found already terminal had ended before, one that completed first ended completed or failed, one already
 *       being cancelled had an earlier request, and no target is unknown to the log it was requested in;</li>
 *   <li>the target set is fixed at acceptance: no target of a filter was submitted after the batch was accepted
 *       (both times by the api's clock), each target of a filter carries the label it selects, every task the client
 *       had been told was created (before it sent the batch) and that the filter selects is a target, and a dry run
 *       sent just before over a group that could not change found exactly the batch's targets;</li>
 *   <li>the api shows each acknowledged batch as the log has it: its state and its counts by outcome; and its report
 *       ({@code GET .../tasks}) lists every target once, with the outcome the log has for it, and adds up to those
 *       counts.</li>
 * </ul>
 */
final class BatchCheck {

  /**
   * The batch figures of a run.
   *
   * @param acknowledged batches the api acknowledged, by what they were meant to exercise
   * @param dryRuns      dry runs answered and followed by their batch
   * @param aborts       aborts answered, by status (202 recorded, 200 nothing left to abort)
   * @param byState      batches in the log by their state at the end ({@code completed}, {@code aborted}, or
   *                     {@code unsettled})
   * @param targets      targets the batches in the log named, not-found ids included
   * @param outcomes     those targets by outcome ({@link TargetOutcome} names)
   */
  record Figures(Map<String, Integer> acknowledged, int dryRuns, Map<Integer, Integer> aborts,
                 Map<String, Integer> byState, long targets, Map<String, Integer> outcomes) {

    int acknowledgedTotal() {
      return acknowledged.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** What the log holds of one batch. */
  private static final class Ledger {
    Event accepted;
    final Map<Integer, BatchTargets> chunks = new TreeMap<>();
    final Map<String, Integer> found = new LinkedHashMap<>();
    final Set<String> notFound = new LinkedHashSet<>();
    final Set<String> skipped = new HashSet<>();
    boolean aborted;
  }

  private final Map<String, List<Event>> histories;
  private final List<String> violations;
  private final List<String> lost;

  private final BatchShownCheck shownCheck;

  private BatchCheck(Map<String, List<Event>> histories, List<String> violations, List<String> lost) {
    this.histories = histories;
    this.violations = violations;
    this.lost = lost;
    this.shownCheck = new BatchShownCheck(violations);
  }

  /**
   * Checks the batches in {@code histories} (every task's and batch's events in log order) against what the client
   * was answered; adds what broke to {@code violations} and acknowledged batches missing from the log to
   * {@code lost}.
   */
  static Figures check(Map<String, List<Event>> histories, List<Acknowledged> acknowledged, List<BatchLoad.Sent> sent,
                       List<BatchLoad.Abort> aborts, Map<String, TaskApi.BatchAnswer> apiBatches,
                       List<String> violations, List<String> lost) {
    return check(histories, acknowledged, sent, aborts, apiBatches, Map.of(), violations, lost);
  }

  /** As above, and also each batch's report target by target in {@code apiReports}, by batch id. */
  static Figures check(Map<String, List<Event>> histories, List<Acknowledged> acknowledged, List<BatchLoad.Sent> sent,
                       List<BatchLoad.Abort> aborts, Map<String, TaskApi.BatchAnswer> apiBatches,
                       Map<String, TaskApi.TargetReport> apiReports, List<String> violations, List<String> lost) {
    return new BatchCheck(histories, violations, lost).run(acknowledged, sent, aborts, apiBatches, apiReports);
  }

  private Figures run(List<Acknowledged> acknowledged, List<BatchLoad.Sent> sent, List<BatchLoad.Abort> aborts,
                      Map<String, TaskApi.BatchAnswer> apiBatches, Map<String, TaskApi.TargetReport> apiReports) {
    Map<String, Ledger> ledgers = new LinkedHashMap<>();
    // Batch id -> target -> its batch cancel requests, in log order.
    Map<String, Map<String, List<Event>>> requests = new HashMap<>();
    histories.forEach((id, history) -> {
      for (Event e : history) {
        Envelope env = e.envelope();
        if (env.type().ofBatch()) {
          Ledger ledger = ledgers.computeIfAbsent(env.taskId(), k -> new Ledger());
          if (env.event() instanceof BatchAccepted && ledger.accepted == null) {
            ledger.accepted = e;
          } else if (env.event() instanceof BatchTargets named && ledger.chunks.putIfAbsent(named.chunk(), named) == null) {
            named.taskIds().forEach(t -> {
              if (named.notFound()) {
                ledger.notFound.add(t);
              } else {
                ledger.found.putIfAbsent(t, named.chunk());
              }
            });
          } else if (env.event() instanceof BatchTargetsSkipped left) {
            ledger.skipped.addAll(left.taskIds());
          } else if (env.event() instanceof BatchAbortRequested) {
            ledger.aborted = true;
          }
        } else if (env.event() instanceof CancelRequested cancel && cancel.batch() != null) {
          requests.computeIfAbsent(cancel.batch().batchId().toString(), k -> new HashMap<>())
              .computeIfAbsent(env.taskId(), k -> new ArrayList<>()).add(e);
        }
      }
    });

    Map<String, Integer> byState = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    long targets = 0;
    for (Map.Entry<String, Ledger> entry : ledgers.entrySet()) {
      String batchId = entry.getKey();
      Ledger ledger = entry.getValue();
      Map<String, List<Event>> asked = requests.getOrDefault(batchId, Map.of());
      targets += ledger.found.size() + ledger.notFound.size();
      Map<String, String> byTarget = new HashMap<>();
      String state = judgeBatch(batchId, ledger, asked, byTarget);
      Map<String, Integer> counts = new TreeMap<>();
      byTarget.values().forEach(outcome -> counts.merge(outcome, 1, Integer::sum));
      byState.merge(state, 1, Integer::sum);
      counts.forEach((outcome, n) -> outcomes.merge(outcome, n, Integer::sum));
      TaskApi.BatchAnswer shown = apiBatches.get(batchId);
      if (shown != null) {
        shownCheck.judgeShown(batchId, state, counts, shown);
      }
      TaskApi.TargetReport report = apiReports.get(batchId);
      if (report != null) {
        shownCheck.judgeReport(batchId, byTarget, report, shown);
      }
    }
    requests.forEach((batchId, asked) -> {
      Ledger ledger = ledgers.get(batchId);
      asked.keySet().stream().filter(t -> ledger == null || !ledger.found.containsKey(t)).forEach(t -> violations.add(
          "batch " + batchId + " requested a cancel of task " + t + ", which is none of its targets"));
    });

    Map<String, Instant> createdAt = new HashMap<>();
    acknowledged.stream().filter(a -> a.kind() == LoadDriver.Kind.CREATE)
        .forEach(a -> createdAt.put(a.taskId(), a.at()));
    Map<String, Integer> byKind = new TreeMap<>();
    int dryRuns = 0;
    for (BatchLoad.Sent batch : sent) {
      byKind.merge(batch.kind().name().toLowerCase() + (batch.maxPerSecond() == null ? "" : " paced"), 1,
          Integer::sum);
      dryRuns += batch.dryRun() == null ? 0 : 1;
      judgeAnswer(batch, ledgers.get(batch.batchId()), createdAt);
    }
    Map<Integer, Integer> abortsByStatus = new TreeMap<>();
    for (BatchLoad.Abort abort : aborts) {
      abortsByStatus.merge(abort.status(), 1, Integer::sum);
      Ledger ledger = ledgers.get(abort.batchId());
      if (abort.status() == 202 && (ledger == null || !ledger.aborted)) {
        lost.add("abort of batch " + abort.batchId() + " (answered 202 at " + abort.at() + ") is not in the log");
      } else if (abort.status() == 404) {
        violations.add("the api answered the abort of acknowledged batch " + abort.batchId() + " with 404");
      }
    }
    return new Figures(byKind, dryRuns, abortsByStatus, byState, targets, outcomes);
  }

  /**
   * Every target's outcome for the batch, by target into {@code outcomes}, and its state: {@code completed},
   * {@code aborted} or {@code unsettled}.
   */
  private String judgeBatch(String batchId, Ledger ledger, Map<String, List<Event>> asked,
                            Map<String, String> outcomes) {
    if (ledger.accepted == null) {
      violations.add("batch " + batchId + " has target records in the log but no acceptance");
      return "unsettled";
    }
    BatchAccepted accepted = (BatchAccepted) ledger.accepted.envelope().event();
    boolean settled = true;
    if (ledger.chunks.size() != accepted.chunks()) {
      violations.add("batch " + batchId + " has " + ledger.chunks.size() + " of its " + accepted.chunks()
          + " target records in the log");
      settled = false;
    }
    if (ledger.found.size() != accepted.matched() || ledger.notFound.size() != accepted.notFound()) {
      violations.add("batch " + batchId + " was accepted with " + accepted.matched() + " targets and "
          + accepted.notFound() + " not found, its records name " + ledger.found.size() + " and "
          + ledger.notFound.size());
    }
    Instant acceptedAt = ledger.accepted.envelope().occurredAt();
    for (String taskId : ledger.found.keySet()) {
      List<Event> history = histories.getOrDefault(taskId, List.of());
      if (accepted.selection() == BatchSelection.FILTER) {
        Event submitted = submission(history);
        if (submitted != null && submitted.envelope().occurredAt().isAfter(acceptedAt)) {
          violations.add("task " + taskId + " was submitted at " + submitted.envelope().occurredAt()
              + ", after filter batch " + batchId + " was accepted at " + acceptedAt + ", and is its target");
        }
      }
      List<Event> requested = asked.getOrDefault(taskId, List.of());
      boolean skipped = ledger.skipped.contains(taskId);
      if (requested.isEmpty()) {
        if (skipped) {
          if (!ledger.aborted) {
            violations.add("batch " + batchId + " skipped task " + taskId + " but was never aborted");
          }
          outcomes.put(taskId, TargetOutcome.ABORTED.wire());
        } else {
          violations.add("target " + taskId + " of batch " + batchId + " was neither requested nor skipped");
          outcomes.put(taskId, TargetOutcome.PENDING.wire());
          settled = false;
        }
        continue;
      }
      // More than one request, or a request and a skip, is the audit's finding (LogAudit); judge the first.
      Event request = requested.get(0);
      if (!request.envelope().eventId().equals(BatchDecider.requestId(UUID.fromString(batchId), taskId))) {
        violations.add("batch " + batchId + " requested a cancel of task " + taskId + " under id "
            + request.envelope().eventId() + ", not the one derived from the batch and the task");
      }
      TargetOutcome outcome = outcome(batchId, taskId, history, request);
      outcomes.put(taskId, outcome.wire());
      settled &= outcome.settled();
    }
    for (String taskId : ledger.notFound) {
      outcomes.put(taskId, TargetOutcome.NOT_FOUND.wire());
      if (asked.containsKey(taskId)) {
        violations.add("batch " + batchId + " requested a cancel of " + taskId + ", which it reported not found");
      }
    }
    if (!settled) {
      violations.add("batch " + batchId + " has not settled in the log although the system is quiet");
      return "unsettled";
    }
    return ledger.aborted ? "aborted" : "completed";
  }

  /** The outcome of a target's batch request, checked against the rest of the task's history. */
  private TargetOutcome outcome(String batchId, String taskId, List<Event> history, Event request) {
    UUID requestId = request.envelope().eventId();
    int at = history.indexOf(request);
    Event answer = null;
    for (Event e : history) {
      if (e.envelope().type().cancelOutcome() && requestId.equals(e.envelope().causationId())) {
        answer = e;
        break;
      }
    }
    String target = "target " + taskId + " of batch " + batchId;
    if (submission(history.subList(0, at)) == null) {
      violations.add(target + " was requested in the log before the task was submitted");
    }
    if (answer == null) {
      violations.add(target + " was requested and never answered");
      return TargetOutcome.REQUESTED;
    }
    Event terminal = history.stream().filter(e -> e.envelope().type().terminal()).findFirst().orElse(null);
    boolean endedBefore = terminal != null && history.indexOf(terminal) < at;
    TaskEvent event = answer.envelope().event();
    if (event instanceof TaskCancelled cancelled) {
      if (!answer.equals(terminal)) {
        violations.add(target + " is reported cancelled, but the task's terminal event is "
            + (terminal == null ? "none" : terminal.envelope().type().wire() + " " + terminal.envelope().eventId()));
      }
      if (cancelled.was() == TaskStatus.RUNNING && history.subList(0, history.indexOf(answer)).stream()
          .noneMatch(e -> e.envelope().type() == EventType.TASK_STARTED)) {
        violations.add(target + " is reported cancelled while running, but it never started");
      }
    } else if (event instanceof CancelNoOp noOp) {
      if (noOp.reason() == NoOpReason.ALREADY_TERMINAL && !endedBefore) {
        violations.add(target + " is reported already terminal, but the task had not ended when it was requested");
      } else if (noOp.reason() == NoOpReason.COMPLETED_FIRST && (terminal == null
          || (terminal.envelope().type() != EventType.TASK_COMPLETED
          && terminal.envelope().type() != EventType.TASK_FAILED))) {
        violations.add(target + " is reported completed first, but the task did not end completed or failed");
      } else if (noOp.reason() == NoOpReason.ALREADY_CANCELLING && (endedBefore
          || history.subList(0, at).stream().noneMatch(e -> e.envelope().type() == EventType.CANCEL_REQUESTED))) {
        violations.add(target + " is reported already being cancelled, but no earlier request of a live task was");
      } else if (noOp.reason() == NoOpReason.UNKNOWN_TASK) {
        violations.add(target + " is reported unknown, but the api found it when it accepted the batch");
      }
    }
    return TargetOutcome.of(event);
  }

  /** The batch as the client was answered, against the log. */
  private void judgeAnswer(BatchLoad.Sent batch, Ledger ledger, Map<String, Instant> createdAt) {
    String named = "batch " + batch.batchId() + " (" + batch.kind().name().toLowerCase() + ", request "
        + batch.requestId() + ", answered " + batch.status() + " at " + batch.at() + ")";
    if (ledger == null || ledger.accepted == null) {
      lost.add(named + " is not in the log");
      return;
    }
    Envelope accepted = ledger.accepted.envelope();
    BatchAccepted fixed = (BatchAccepted) accepted.event();
    if (!batch.requestId().equals(accepted.correlationId())) {
      violations.add(named + " is in the log under request id " + accepted.correlationId());
    }
    if (fixed.matched() != batch.matched() || fixed.notFound() != batch.notFound()) {
      violations.add(named + " was answered with " + batch.matched() + " matched and " + batch.notFound()
          + " not found; the log has " + fixed.matched() + " and " + fixed.notFound());
    }
    batch.knownIds().stream().filter(t -> !ledger.found.containsKey(t)).forEach(t -> violations.add(
        named + " named task " + t + ", acknowledged before the batch was sent, and did not make it a target"));
    batch.unknownIds().stream().filter(t -> !ledger.notFound.contains(t)).forEach(t -> violations.add(
        named + " named " + t + ", no task at all, and did not report it not found"));
    if (batch.group() == null) {
      return;
    }
    for (String taskId : ledger.found.keySet()) {
      if (!batch.group().equals(group(histories.getOrDefault(taskId, List.of())))) {
        violations.add(named + " selects group " + batch.group() + " and made task " + taskId
            + " of another group its target");
      }
    }
    if (!batch.statusFilter()) {
      // Whatever their status: every task of the group acknowledged before the batch was sent counts.
      createdAt.forEach((taskId, at) -> {
        if (at.isBefore(batch.firstSentAt()) && batch.group().equals(group(histories.getOrDefault(taskId, List.of())))
            && !ledger.found.containsKey(taskId)) {
          violations.add(named + " missed task " + taskId + " of its group, acknowledged at " + at
              + ", before the batch was sent");
        }
      });
    }
    if (batch.dryRun() != null) {
      if (batch.dryRun().matched() != fixed.matched()) {
        violations.add(named + " matched " + fixed.matched() + " targets, its dry run just before "
            + batch.dryRun().matched());
      } else if (fixed.matched() <= BatchLoad.DryRun.SAMPLE
          && !new HashSet<>(batch.dryRun().taskIds()).equals(ledger.found.keySet())) {
        violations.add(named + " has other targets than its dry run just before found");
      }
    }
  }

  private static Event submission(List<Event> history) {
    return history.stream().filter(e -> e.envelope().type() == EventType.TASK_SUBMITTED).findFirst().orElse(null);
  }

  private static String group(List<Event> history) {
    Event submitted = submission(history);
    return submitted == null ? null
        : ((TaskSubmitted) submitted.envelope().event()).metadata().get(TaskApi.GROUP_LABEL);
  }
}

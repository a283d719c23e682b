package dev.quench.standalone.chaos;

import dev.quench.events.CancelNoOp;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskFailed;
import dev.quench.events.TaskState;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import dev.quench.standalone.AuditCommand;
import dev.quench.standalone.chaos.LoadDriver.Acknowledged;
import java.time.Duration;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The checks at the end of a run, on what a plain Kafka consumer reads, as any outside tool would: nothing the api
 * acknowledged is missing from the log (invariant 5 of docs/architecture.md §5); the audit of every topic (invariants
 * 1–3; invariant 4, every view equal to a fresh fold of its log; nothing in flight); every task terminal in the fold
 * of the log; and the api showing each task as that fold does.
 */
final class LogCheck {

  /** One event of the log, where it sits. */
  record Event(int partition, long offset, Envelope envelope) {
  }

  /**
   * What the checks found.
   *
   * @param audit         the strict audit of all topics
   * @param histories     every task's events, in log order
   * @param tasksByStatus tasks per status, by the fold of the log
   * @param outcomes      how tasks ended and cancels were answered, by kind: shows which cases of
   *                      docs/architecture.md §4 the run reached
   * @param violations    broken invariants, tasks not terminal, views or api answers that differ from the fold
   * @param lost          acknowledged requests whose request id is in no request event of their task in the log, and
   *                      acknowledged batches and aborts missing from it
   * @param batches       the batch figures
   */
  record Result(AuditCommand.Findings audit, Map<String, List<Event>> histories, Map<String, Integer> tasksByStatus,
                Map<String, Integer> outcomes, List<String> violations, List<String> lost,
                BatchCheck.Figures batches) {

    int events() {
      return histories.values().stream().mapToInt(List::size).sum();
    }
  }

  private static final Pattern TASK_ID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int EXPLAINED_TASKS = 5;
  private static final Duration KILLS_AROUND = Duration.ofSeconds(30);

  private LogCheck() {
  }

  /**
   * @param acknowledged every request the api acknowledged
   * @param apiStatuses  the api's last answer for each task it acknowledged a create of: a status, or what went wrong
   * @param batches      the batches and aborts the api acknowledged
   * @param apiBatches   the api's last answer for each acknowledged batch, by batch id
   */
  static Result check(String bootstrapServers, Topics topics, List<Acknowledged> acknowledged,
                      Map<String, String> apiStatuses, BatchLoad batches,
                      Map<String, TaskApi.BatchAnswer> apiBatches) {
    return check(bootstrapServers, topics, acknowledged, apiStatuses, batches, apiBatches, Map.of());
  }

  /** As above, and also the api's report target by target of each batch in {@code apiReports}, by batch id. */
  static Result check(String bootstrapServers, Topics topics, List<Acknowledged> acknowledged,
                      Map<String, String> apiStatuses, BatchLoad batches,
                      Map<String, TaskApi.BatchAnswer> apiBatches, Map<String, TaskApi.TargetReport> apiReports) {
    AuditCommand.Findings audit = AuditCommand.audit(bootstrapServers, topics, true);
    Map<String, List<Event>> histories = histories(bootstrapServers, topics);
    return judge(audit, histories, acknowledged, apiStatuses, batches.sent(), batches.aborts(), apiBatches,
        apiReports);
  }

  /** Every task's (and batch's) committed events in the log now, in log order; what cannot be decoded left out. */
  static Map<String, List<Event>> histories(String bootstrapServers, Topics topics) {
    EventCodec codec = new EventCodec();
    Map<String, List<Event>> histories = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : AuditCommand.read(bootstrapServers, topics.log())) {
      try {
        Envelope event = codec.decode(record.value());
        histories.computeIfAbsent(event.taskId(), k -> new ArrayList<>())
            .add(new Event(record.partition(), record.offset(), event));
      } catch (UndecodableRecordException e) {
        // The audit reports it.
      }
    }
    return histories;
  }

  /** The checks on a log of no batches already read: {@code histories} holds every task's events in log order. */
  static Result judge(AuditCommand.Findings audit, Map<String, List<Event>> histories,
                      List<Acknowledged> acknowledged, Map<String, String> apiStatuses) {
    return judge(audit, histories, acknowledged, apiStatuses, List.of(), List.of(), Map.of());
  }

  /**
   * The checks on a log already read: {@code histories} holds every task's (and batch's) events in log order,
   * {@code batches} and {@code aborts} what the api acknowledged of them, {@code apiBatches} what it shows of them.
   */
  static Result judge(AuditCommand.Findings audit, Map<String, List<Event>> histories,
                      List<Acknowledged> acknowledged, Map<String, String> apiStatuses,
                      List<BatchLoad.Sent> batches, List<BatchLoad.Abort> aborts,
                      Map<String, TaskApi.BatchAnswer> apiBatches) {
    return judge(audit, histories, acknowledged, apiStatuses, batches, aborts, apiBatches, Map.of());
  }

  /** As above, and also the api's report target by target of each batch in {@code apiReports}, by batch id. */
  static Result judge(AuditCommand.Findings audit, Map<String, List<Event>> histories,
                      List<Acknowledged> acknowledged, Map<String, String> apiStatuses,
                      List<BatchLoad.Sent> batches, List<BatchLoad.Abort> aborts,
                      Map<String, TaskApi.BatchAnswer> apiBatches, Map<String, TaskApi.TargetReport> apiReports) {
    List<String> violations = new ArrayList<>(audit.violations());
    Map<String, Integer> tasksByStatus = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    Map<String, TaskState> folded = new HashMap<>();
    Map<String, Set<String>> requestIds = new HashMap<>();
    for (Map.Entry<String, List<Event>> task : histories.entrySet()) {
      List<Envelope> events = task.getValue().stream().map(Event::envelope).toList();
      if (events.get(0).type().ofBatch()) {
        // A batch's own records, keyed by its id: BatchCheck's part.
        continue;
      }
      for (Envelope e : events) {
        if (e.type() == EventType.TASK_SUBMITTED || e.type() == EventType.CANCEL_REQUESTED) {
          requestIds.computeIfAbsent(task.getKey(), k -> new HashSet<>()).add(e.correlationId());
        }
        String outcome = outcome(e);
        if (outcome != null) {
          outcomes.merge(outcome, 1, Integer::sum);
        }
      }
      TaskState state = TaskState.fold(events);
      if (state == null) {
        tasksByStatus.merge("(no submission)", 1, Integer::sum);
        continue;
      }
      folded.put(task.getKey(), state);
      tasksByStatus.merge(state.status().wire(), 1, Integer::sum);
      if (!state.status().terminal()) {
        violations.add("task " + task.getKey() + " is still " + state.status().wire() + " in the fold of the log");
      }
    }

    List<String> lost = new ArrayList<>();
    for (Acknowledged request : acknowledged) {
      if (!requestIds.getOrDefault(request.taskId(), Set.of()).contains(request.requestId())) {
        lost.add(request.kind().name().toLowerCase() + " " + request.requestId() + " of task " + request.taskId()
            + " (answered " + request.status() + " at " + request.at() + ") is not in the log");
      }
    }

    apiStatuses.forEach((taskId, shown) -> {
      TaskState state = folded.get(taskId);
      String expected = state == null ? "absent" : state.status().wire();
      if (!expected.equals(shown)) {
        violations.add("the api shows task " + taskId + " as " + shown + ", the fold of the log says " + expected);
      }
    });
    BatchCheck.Figures batchFigures = BatchCheck.check(histories, acknowledged, batches, aborts, apiBatches,
        apiReports, violations, lost);
    return new Result(audit, histories, tasksByStatus, outcomes, violations, lost, batchFigures);
  }

  /** {@code cancelled (was running, forced)}, {@code noop already_terminal}, {@code failed worker_lost}; or null. */
  private static String outcome(Envelope e) {
    if (e.event() instanceof TaskCancelled cancelled) {
      return "cancelled (was " + cancelled.was().wire() + (cancelled.forced() ? ", forced)" : ")");
    }
    if (e.event() instanceof CancelNoOp noOp) {
      return "noop " + noOp.reason().wire();
    }
    if (e.event() instanceof TaskFailed failed) {
      return failed.error() == null ? "failed" : "failed " + failed.error().code();
    }
    return e.type() == EventType.TASK_COMPLETED ? "completed" : null;
  }

  /**
   * The history of the first few tasks named by a violation or a lost request, each event with its partition,
   * offset and time, next to the kills around it: enough to tell the harness from the system.
   */
  static String explain(Result result, List<Timeline.Kill> kills) {
    Set<String> tasks = new LinkedHashSet<>();
    List<String> findings = new ArrayList<>(result.violations());
    findings.addAll(result.lost());
    for (String finding : findings) {
      Matcher m = TASK_ID.matcher(finding);
      while (m.find() && tasks.size() < EXPLAINED_TASKS) {
        if (result.histories().containsKey(m.group()) || finding.contains("task " + m.group())) {
          tasks.add(m.group());
        }
      }
    }
    StringBuilder text = new StringBuilder();
    for (String taskId : tasks) {
      List<Event> history = result.histories().getOrDefault(taskId, List.of());
      text.append("task ").append(taskId).append(": ").append(history.size()).append(" events in the log")
          .append(" (progress events left out)\n");
      for (Event e : history) {
        Envelope env = e.envelope();
        if (env.type() == EventType.TASK_PROGRESSED) {
          continue;
        }
        text.append(String.format("  p%d@%-6d %s %-22s by %-12s id %s cause %s corr %s %s%n", e.partition(),
            e.offset(), env.occurredAt(), env.type().wire(), env.producer(), env.eventId(), env.causationId(),
            env.correlationId(), env.event()));
      }
      if (!history.isEmpty()) {
        Instant from = history.get(0).envelope().occurredAt().minus(KILLS_AROUND);
        Instant to = history.get(history.size() - 1).envelope().occurredAt().plus(KILLS_AROUND);
        for (Timeline.Kill kill : kills) {
          if (!kill.at().isBefore(from) && !kill.at().isAfter(to)) {
            text.append(String.format("  kill: %s %s (pid %d) at %s (%.1f s into the run)%n", kill.role(),
                kill.process(), kill.pid(), kill.at(), kill.elapsed()));
          }
        }
      }
    }
    return text.toString();
  }
}

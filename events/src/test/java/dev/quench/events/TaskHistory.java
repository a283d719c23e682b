package dev.quench.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Builds one task's events the way the api and a worker would, for tests of any module. Time advances by a
 * millisecond per event so histories read in order.
 */
public final class TaskHistory {

  public static final String TENANT = "acme";
  public static final String WORKER = "worker-test";

  private final String taskId;
  private Instant now = Instant.parse("2026-11-23T10:00:00Z");

  public TaskHistory(String taskId) {
    this.taskId = taskId;
  }

  public static TaskHistory task(String taskId) {
    return new TaskHistory(taskId);
  }

  public String taskId() {
    return taskId;
  }

  public Instant tick() {
    now = now.plusMillis(1);
    return now;
  }

  public Envelope submitted(String capability, JsonNode input) {
    return Envelope.of(UUID.randomUUID(), taskId, TENANT, tick(), "api", null, "req-submit",
        new TaskSubmitted(capability, null, Map.of("team", "search"), input, "key-test", null, List.of()));
  }

  public Envelope submitted() {
    return submitted("sleep", JsonNodeFactory.instance.objectNode().put("duration_ms", 1000));
  }

  /** A submission asking for a callback to {@code url}. */
  public Envelope submittedWithCallback(String url) {
    return Envelope.of(UUID.randomUUID(), taskId, TENANT, tick(), "api", null, "req-submit",
        new TaskSubmitted("sleep", null, Map.of("team", "search"),
            JsonNodeFactory.instance.objectNode().put("duration_ms", 1000), "key-test", null, List.of(), null,
            List.of(), new CallbackRequest(url)));
  }

  /** The deliverer's record of {@code attempt} of the callback of the task {@code history} folds to. */
  public Envelope callback(List<Envelope> history, TaskEvent attempt) {
    TaskState state = TaskState.fold(history);
    return state.callback().record(state, attempt, "callbacks-test", tick());
  }

  public Envelope cancelRequested(String reason) {
    return Envelope.of(UUID.randomUUID(), taskId, TENANT, tick(), "api", null, "req-cancel-" + reason,
        new CancelRequested(reason, "key-test"));
  }

  /** Decides {@code command} on the fold of {@code history} and returns history plus the decided events. */
  public static List<Envelope> decideAfter(List<Envelope> history, TaskCommand command) {
    List<Envelope> all = new ArrayList<>(history);
    all.addAll(TaskDecider.decide(command, TaskState.fold(history)));
    return all;
  }

  public TaskCommand.Accept accept(Envelope request) {
    return new TaskCommand.Accept(request, WORKER, tick());
  }

  public TaskCommand.Start start() {
    return new TaskCommand.Start(taskId, WORKER, tick());
  }

  public TaskCommand.Finish finish(int attempt, TaskCommand.Outcome outcome) {
    return new TaskCommand.Finish(taskId, attempt, outcome, WORKER, tick());
  }

  public TaskCommand.ReportProgress progress(int attempt, int percent) {
    return new TaskCommand.ReportProgress(taskId, attempt, new Progress(percent, "sleeping", null), null, WORKER,
        tick());
  }

  public TaskCommand.ReportProgress usage(int attempt, Usage usage) {
    return new TaskCommand.ReportProgress(taskId, attempt, null, usage, WORKER, tick());
  }

  /** Starts the task with a reservation, as a worker with a price list does. */
  public TaskCommand.Start start(String credits) {
    return new TaskCommand.Start(taskId, WORKER, tick(), "model-resolved", new java.math.BigDecimal(credits));
  }

  /** Usage of {@code credits} credits on one metered line. */
  public static Usage usageOf(String quantity, String credits) {
    return new Usage(Map.of("input_tokens", 12L), List.of(new UsageLine("sleep_time",
        new java.math.BigDecimal(quantity), "second", new java.math.BigDecimal(credits))));
  }

  public TaskCommand.RecoverOrphan orphan(OrphanPolicy policy) {
    return new TaskCommand.RecoverOrphan(taskId, policy, "worker-other", tick());
  }
}

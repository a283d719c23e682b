package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchDecider;
import dev.quench.events.BatchRef;
import dev.quench.events.BatchSelection;
import dev.quench.events.BatchTargets;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TargetOutcome;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.standalone.chaos.LoadDriver.Acknowledged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The batch checks find what they are there to find: a chaos run whose batches pass proves nothing otherwise. */
class BatchCheckTests {

  private static final UUID BATCH = UUID.fromString("0193a0c4-1111-7000-8000-000000000001");
  private static final String EARLY = "01a20934-7f45-7b28-9d2d-c8c123c0c401";
  private static final String LATE = "01a20934-7f45-7b28-9d2d-c8c123c0c402";
  private static final String SILENT = "01a20934-7f45-7b28-9d2d-c8c123c0c403";
  private static final Instant ACCEPTED = Instant.parse("2026-11-23T16:19:25Z");

  private final Map<String, List<LogCheck.Event>> histories = new LinkedHashMap<>();
  private long offset;

  @Test
  void aBatchWhoseTargetsAllHaveTheirOneOutcomeIsCompletedAndShownSo() {
    submit(EARLY, ACCEPTED.minusSeconds(1));
    acceptFilterBatch(List.of(EARLY));
    cancelledByTheBatch(EARLY);

    List<String> violations = new ArrayList<>();
    BatchCheck.Figures figures = BatchCheck.check(histories, List.of(created(EARLY)), List.of(sent(1)),
        List.of(), Map.of(), violations, new ArrayList<>());

    assertThat(violations).isEmpty();
    assertThat(figures.byState()).containsExactly(Map.entry("completed", 1));
    assertThat(figures.outcomes()).containsExactly(Map.entry("cancelled_queued", 1));
  }

  @Test
  void aTargetSubmittedAfterAcceptanceOrNeverAnsweredAndATaskMissedAreViolationsAndAnUnloggedBatchIsLost() {
    submit(EARLY, ACCEPTED.minusSeconds(1));
    submit(SILENT, ACCEPTED.minusSeconds(1));
    submit(LATE, ACCEPTED.plusSeconds(1));
    acceptFilterBatch(List.of(LATE, SILENT));
    cancelledByTheBatch(LATE);
    append(SILENT, BatchDecider.requestId(BATCH, SILENT), null, ACCEPTED,
        new CancelRequested("chaos", "key", null, null, List.of(), new BatchRef(BATCH, 0)));
    UUID unlogged = UUID.randomUUID();
    BatchLoad.Sent missing = new BatchLoad.Sent("req-2", unlogged.toString(), BatchLoad.Kind.IDS, null, false, null,
        List.of(), List.of(), ACCEPTED, ACCEPTED, 202, 0, 1, null);

    List<String> violations = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    BatchCheck.Figures figures = BatchCheck.check(histories, List.of(created(EARLY)), List.of(sent(2), missing),
        List.of(), Map.of(), violations, lost);

    assertThat(violations).anySatisfy(v -> assertThat(v).contains(LATE, "after filter batch " + BATCH))
        .anySatisfy(v -> assertThat(v).contains(SILENT, "requested and never answered"))
        .anySatisfy(v -> assertThat(v).contains("missed task " + EARLY))
        .anySatisfy(v -> assertThat(v).contains("batch " + BATCH + " has not settled"));
    assertThat(lost).singleElement().asString().contains(unlogged.toString(), "not in the log");
    assertThat(figures.byState()).containsExactly(Map.entry("unsettled", 1));
  }

  @Test
  void aReportThatListsATargetTwiceOrWithAnotherOutcomeOrLeavesOneOutOrDiffersFromTheCountsIsAViolation() {
    submit(EARLY, ACCEPTED.minusSeconds(1));
    submit(SILENT, ACCEPTED.minusSeconds(1));
    acceptFilterBatch(List.of(EARLY, SILENT));
    cancelledByTheBatch(EARLY);
    cancelledByTheBatch(SILENT);
    TaskApi.BatchAnswer shown = shown("completed", Map.of("cancelled_queued", 2));

    List<String> fine = new ArrayList<>();
    BatchCheck.check(histories, List.of(), List.of(), List.of(), Map.of(BATCH.toString(), shown),
        Map.of(BATCH.toString(), report(target(EARLY, "cancelled_queued"), target(SILENT, "cancelled_queued"))),
        fine, new ArrayList<>());
    List<String> violations = new ArrayList<>();
    BatchCheck.check(histories, List.of(), List.of(), List.of(), Map.of(BATCH.toString(), shown),
        Map.of(BATCH.toString(), report(target(EARLY, "cancelled_queued"), target(EARLY, "cancelled_queued"),
            target(LATE, "cancelled_queued"))), violations, new ArrayList<>());
    List<String> otherOutcome = new ArrayList<>();
    BatchCheck.check(histories, List.of(), List.of(), List.of(), Map.of(BATCH.toString(), shown),
        Map.of(BATCH.toString(), report(target(EARLY, "cancelled_queued"), target(SILENT, "already_terminal"))),
        otherOutcome, new ArrayList<>());

    assertThat(fine).isEmpty();
    assertThat(violations).anySatisfy(v -> assertThat(v).contains("lists task " + EARLY + " twice"))
        .anySatisfy(v -> assertThat(v).contains("lists task " + LATE, "none of its targets"))
        .anySatisfy(v -> assertThat(v).contains("leaves out target " + SILENT))
        .anySatisfy(v -> assertThat(v).contains("its report's lines add up to"));
    assertThat(otherOutcome).anySatisfy(v -> assertThat(v).contains(SILENT, "already_terminal",
        "the log says cancelled_queued")).anySatisfy(v -> assertThat(v).contains("its report's lines add up to"));
  }

  /** The api's answer for the batch, as it shows every count, naught or not. */
  private static TaskApi.BatchAnswer shown(String status, Map<String, Integer> counts) {
    ObjectNode body = TaskApi.JSON.createObjectNode().put("status", status);
    ObjectNode shownCounts = body.putObject("counts");
    for (TargetOutcome outcome : TargetOutcome.values()) {
      shownCounts.put(outcome.wire(), counts.getOrDefault(outcome.wire(), 0));
    }
    return new TaskApi.BatchAnswer(200, body, null);
  }

  private static TaskApi.TargetReport report(TaskApi.Target... targets) {
    return new TaskApi.TargetReport(200, List.of(targets), null);
  }

  private static TaskApi.Target target(String taskId, String outcome) {
    return new TaskApi.Target(taskId, outcome, ACCEPTED, ACCEPTED);
  }

  private void submit(String taskId, Instant at) {
    append(taskId, UUID.randomUUID(), null, at, new TaskSubmitted("sleep", null,
        Map.of(TaskApi.GROUP_LABEL, "g1"), null, "key", null, List.of(), null, List.of(), null));
  }

  private void acceptFilterBatch(List<String> targets) {
    append(BATCH.toString(), UUID.randomUUID(), null, ACCEPTED, new BatchAccepted("key", "chaos", null,
        BatchSelection.FILTER, null, null, targets.size(), 0, 1, null));
    append(BATCH.toString(), UUID.randomUUID(), null, ACCEPTED, new BatchTargets(0, targets, false, ACCEPTED, null,
        0, "chaos", "key", null));
  }

  private void cancelledByTheBatch(String taskId) {
    UUID request = BatchDecider.requestId(BATCH, taskId);
    append(taskId, request, null, ACCEPTED, new CancelRequested("chaos", "key", null, null, List.of(),
        new BatchRef(BATCH, 0)));
    append(taskId, UUID.randomUUID(), request, ACCEPTED, new TaskCancelled(TaskStatus.QUEUED, false, null,
        new BatchRef(BATCH, 0)));
  }

  private void append(String key, UUID id, UUID cause, Instant at, TaskEvent event) {
    Envelope e = Envelope.of(id, key, "demo", at, "test", cause, "req-1", event);
    histories.computeIfAbsent(key, k -> new ArrayList<>()).add(new LogCheck.Event(1, offset++, e));
  }

  private static BatchLoad.Sent sent(int matched) {
    return new BatchLoad.Sent("req-1", BATCH.toString(), BatchLoad.Kind.FILTER, "g1", false, null, List.of(),
        List.of(), ACCEPTED.plusSeconds(2), ACCEPTED.plusSeconds(2), 202, matched, 0, null);
  }

  private static Acknowledged created(String taskId) {
    return new Acknowledged("req-create", LoadDriver.Kind.CREATE, taskId, 202, ACCEPTED.minusSeconds(1));
  }
}

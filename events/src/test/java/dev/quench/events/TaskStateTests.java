package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.TaskCommand.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class TaskStateTests {

  private final TaskHistory task = TaskHistory.task("t-1");

  private List<Envelope> run(TaskCommand... commands) {
    List<Envelope> log = new ArrayList<>();
    for (TaskCommand command : commands) {
      log = TaskHistory.decideAfter(log, command);
    }
    return log;
  }

  @Test
  void submittedTaskIsQueuedWithEverythingTheClientSent() {
    Envelope submitted = task.submitted();

    TaskState state = TaskState.fold(List.of(submitted));

    assertThat(state.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(state.capability()).isEqualTo("sleep");
    assertThat(state.metadata()).containsEntry("team", "search");
    assertThat(state.input().get("duration_ms").asInt()).isEqualTo(1000);
    assertThat(state.createdAt()).isEqualTo(submitted.occurredAt());
    assertThat(state.tenant()).isEqualTo(TaskHistory.TENANT);
    assertThat(state.reflects(submitted.eventId())).isTrue();
  }

  @Test
  void eventsOfAnUnknownTaskCreateNoState() {
    assertThat(TaskState.fold(run(task.accept(task.cancelRequested("x"))))).isNull();
  }

  @Test
  void runningTaskWithACancelShowsWhenTheCancelWasRequestedUntilItStops() {
    Envelope cancel = task.cancelRequested("stop it");
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.accept(cancel));

    TaskState stopping = TaskState.fold(log);
    assertThat(stopping.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(stopping.cancelRequestedAt()).isEqualTo(cancel.occurredAt());
    assertThat(stopping.cancelReason()).isEqualTo("stop it");
    assertThat(stopping.pendingCancels()).extracting(PendingCancel::requestId).containsExactly(cancel.eventId());

    TaskState cancelled = TaskState.fold(TaskHistory.decideAfter(log, task.finish(1, new Outcome.Cancelled(false))));
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(cancelled.completedAt()).isNotNull();
    assertThat(cancelled.pendingCancels()).isEmpty();
    assertThat(cancelled.cancellation()).isEqualTo(new Cancellation(cancel.eventId(), TaskStatus.RUNNING, false));
  }

  @Test
  void cancelOfATerminalTaskLeavesItsFinalStateAsItWas() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start(),
        task.finish(1, new Outcome.Completed(JsonNodeFactory.instance.textNode("out"))));
    TaskState completed = TaskState.fold(log);

    TaskState after = TaskState.fold(TaskHistory.decideAfter(log, task.accept(task.cancelRequested("late"))));

    assertThat(after.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(after.cancelRequestedAt()).isNull();
    assertThat(after.output()).isEqualTo(completed.output());
    assertThat(after.completedAt()).isEqualTo(completed.completedAt());
    assertThat(after.pendingCancels()).isEmpty();
  }

  @Test
  void progressIsKeptWhileRunningAndResetByANewRun() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.progress(1, 40));
    assertThat(TaskState.fold(log).progress().percent()).isEqualTo(40);

    log = TaskHistory.decideAfter(log, task.orphan(OrphanPolicy.RERUN));
    assertThat(TaskState.fold(log).progress()).isNull();
    assertThat(TaskState.fold(log).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(TaskState.fold(log).startedAt()).isNull();
  }

  @Test
  void lateLifecycleEventsAfterATerminalOneChangeNothing() {
    List<Envelope> log = run(task.accept(task.submitted()), task.accept(task.cancelRequested("x")));
    TaskState cancelled = TaskState.fold(log);
    Envelope zombieStart = Envelope.of(Uuids.derive("zombie"), task.taskId(), TaskHistory.TENANT, task.tick(),
        "zombie", null, null, new TaskStarted("zombie", 1));
    List<Envelope> withZombie = new ArrayList<>(log);
    withZombie.add(zombieStart);

    assertThat(TaskState.fold(withZombie)).isEqualTo(cancelled);
  }

  @Test
  void foldingTheSameLogTwiceGivesEqualStates() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.progress(1, 10),
        task.accept(task.cancelRequested("a")), task.finish(1, new Outcome.Cancelled(true)));

    assertThat(TaskState.fold(log)).isEqualTo(TaskState.fold(List.copyOf(log)));
    assertThat(TaskState.fold(log).version()).isEqualTo(log.size());
  }

  @Test
  void aCancelledRunIsChargedWhatItUsedAndTheRestOfItsReservationRefunded() {
    Envelope cancel = task.cancelRequested("stop");
    List<Envelope> log = run(task.accept(task.submitted()), task.start("10.00"),
        task.usage(1, TaskHistory.usageOf("3", "3.00")), task.accept(cancel));

    TaskState cancelled = TaskState.fold(TaskHistory.decideAfter(log,
        task.finish(1, new Outcome.Cancelled(false, TaskHistory.usageOf("3.5", "3.50")))));

    assertThat(cancelled.reservedCredits()).isEqualByComparingTo("10.00");
    assertThat(cancelled.chargedCredits()).isEqualByComparingTo("3.50");
    assertThat(cancelled.refundedCredits()).isEqualByComparingTo("6.50");
    assertThat(cancelled.chargedCredits().add(cancelled.refundedCredits()))
        .isEqualByComparingTo(cancelled.reservedCredits());
    assertThat(cancelled.usage().counter("input_tokens")).isEqualTo(12);
    assertThat(cancelled.resolvedModel()).isEqualTo("model-resolved");
  }

  @Test
  void aRunIsNeverChargedMoreThanItReserved() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start("2"),
        task.finish(1, new Outcome.Completed(null, TaskHistory.usageOf("9", "9"))));

    TaskState completed = TaskState.fold(log);

    assertThat(completed.chargedCredits()).isEqualByComparingTo("2");
    assertThat(completed.refundedCredits()).isEqualByComparingTo("0");
  }

  @Test
  void aTaskCancelledWhileQueuedReservedAndIsChargedNothing() {
    TaskState cancelled = TaskState.fold(run(task.accept(task.submitted()), task.accept(task.cancelRequested("q"))));

    assertThat(cancelled.chargedCredits()).isEqualByComparingTo("0");
    assertThat(cancelled.refundedCredits()).isEqualByComparingTo("0");
  }

  @Test
  void aLostRunIsChargedWhatItLastReported() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start("5"),
        task.usage(1, TaskHistory.usageOf("1", "1.25")), task.orphan(OrphanPolicy.FAIL));

    assertThat(TaskState.fold(log).chargedCredits()).isEqualByComparingTo("1.25");
  }

  @Test
  void warningsOfCancelRequestsAreKeptOnTheTask() {
    Envelope cancel = Envelope.of(java.util.UUID.randomUUID(), task.taskId(), TaskHistory.TENANT, task.tick(), "api",
        null, "req", new CancelRequested("short", "key", TaskStatus.QUEUED, "fp", List.of(
            new Warning("reason_truncated", "the reason was cut to 1000 characters", "reason"))));

    TaskState state = TaskState.fold(run(task.accept(task.submitted()), task.accept(cancel)));

    assertThat(state.warnings()).extracting(Warning::code).containsExactly("reason_truncated");
    assertThat(state.cancelRecord(cancel.eventId())).isEqualTo(new CancelRecord(cancel.eventId(),
        cancel.occurredAt(), "key", "short", "req", "fp", TaskStatus.QUEUED, "cancelled", null, null));
  }

  @Test
  void aCancelRecordKeepsTheIdOfItsIdempotencyKey() {
    java.util.UUID keyId = Uuids.derive("cancel-key", "key", "k-1");
    Envelope cancel = Envelope.of(java.util.UUID.randomUUID(), task.taskId(), TaskHistory.TENANT, task.tick(), "api",
        null, "req", new CancelRequested(null, "key", TaskStatus.QUEUED, "fp", List.of(), keyId));

    TaskState state = TaskState.fold(List.of(task.submitted(), cancel));

    assertThat(state.cancelRecord(cancel.eventId()).idempotencyKeyId()).isEqualTo(keyId);
  }

  @Test
  void historyKeepsEveryStepButOnlyTheLatestProgressInARow() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.progress(1, 10),
        task.progress(1, 20), task.progress(1, 30), task.finish(1, new Outcome.Completed(null)));

    assertThat(TaskState.fold(log).history()).extracting(HistoryEntry::type).containsExactly("task.submitted",
        "task.started", "task.progressed", "task.completed");
  }

  @Test
  void everyCancelRequestKeepsWhoAskedWhyAndWhatCameOfIt() {
    Envelope first = task.cancelRequested("first");
    Envelope second = task.cancelRequested("second");
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.accept(first), task.accept(second),
        task.finish(1, new Outcome.Cancelled(false)));

    TaskState state = TaskState.fold(log);

    assertThat(state.cancelRequests()).extracting(CancelRecord::reason, CancelRecord::requestedBy,
        CancelRecord::outcome).containsExactly(
            org.assertj.core.groups.Tuple.tuple("first", "key-test", "cancelled"),
            org.assertj.core.groups.Tuple.tuple("second", "key-test", "already_cancelling"));
    assertThat(state.cancelRequests().get(0).requestedAt()).isEqualTo(first.occurredAt());
  }

  @Test
  void aSubtaskKnowsItsTreeEvenOnceItsPayloadIsDropped() {
    Envelope child = Envelope.of(java.util.UUID.randomUUID(), task.taskId(), TaskHistory.TENANT, task.tick(), "api",
        null, "req", new TaskSubmitted("echo", null, java.util.Map.of(), null, "key-test", null, List.of(), "parent",
            List.of("root", "parent")));

    TaskState state = TaskState.fold(run(task.accept(child), task.start(),
        task.finish(1, new Outcome.Completed(null)))).withoutPayload();

    assertThat(state.parentTaskId()).isEqualTo("parent");
    assertThat(state.ancestors()).containsExactly("root", "parent");
    assertThat(state.inTreeOf("root")).isTrue();
    assertThat(state.inTreeOf(task.taskId())).isTrue();
    assertThat(state.inTreeOf("elsewhere")).isFalse();
  }

  @Test
  void aBatchsOwnEventsNeverChangeATask() {
    TaskState queued = TaskState.fold(run(task.accept(task.submitted())));
    Envelope batchEvent = Envelope.of(java.util.UUID.randomUUID(), task.taskId(), TaskHistory.TENANT, task.tick(),
        "api", null, "req", new BatchAbortRequested("key-test"));

    assertThat(TaskState.evolve(queued, batchEvent)).isSameAs(queued);
  }
}

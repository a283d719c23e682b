package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.TaskCommand.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** The cancellation tables of docs/architecture.md §4, one row per test: given events, when a command, then events. */
class TaskDeciderTests {

  private final TaskHistory task = TaskHistory.task("t-1");
  private final List<Envelope> given = new ArrayList<>();

  private TaskDeciderTests given(Envelope... events) {
    given.addAll(Arrays.asList(events));
    return this;
  }

  /** Accepts and decides each request as the worker would, so the history is a real one. */
  private TaskDeciderTests givenDecided(TaskCommand... commands) {
    for (TaskCommand command : commands) {
      given.addAll(TaskDecider.decide(command, TaskState.fold(given)));
    }
    return this;
  }

  private List<Envelope> when(TaskCommand command) {
    return TaskDecider.decide(command, TaskState.fold(given));
  }

  private static List<EventType> types(List<Envelope> events) {
    return events.stream().map(Envelope::type).toList();
  }

  @Test
  void submissionIsSequencedOnceAndADuplicateIsDropped() {
    Envelope submitted = task.submitted();
    assertThat(when(task.accept(submitted))).containsExactly(submitted);

    given(submitted);
    assertThat(when(task.accept(task.submitted()))).isEmpty();
  }

  @Test
  void cancelOfQueuedTaskCancelsItAtOnceAndItNeverStarts() {
    givenDecided(task.accept(task.submitted()));
    Envelope cancel = task.cancelRequested("user asked");

    List<Envelope> then = when(task.accept(cancel));

    assertThat(types(then)).containsExactly(EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
    assertThat(then.get(1).event()).isEqualTo(new TaskCancelled(TaskStatus.QUEUED, false));
    assertThat(then.get(1).causationId()).isEqualTo(cancel.eventId());
    assertThat(then.get(1).correlationId()).isEqualTo(cancel.correlationId());
    given(then.toArray(Envelope[]::new));
    assertThat(when(task.start())).isEmpty();
  }

  @Test
  void cancelOfRunningTaskWaitsForTheHandlerThenCancels() {
    givenDecided(task.accept(task.submitted()), task.start());
    Envelope cancel = task.cancelRequested("too slow");

    List<Envelope> accepted = when(task.accept(cancel));
    assertThat(accepted).containsExactly(cancel);
    given(cancel);

    List<Envelope> then = when(task.finish(1, new Outcome.Cancelled(false)));
    assertThat(types(then)).containsExactly(EventType.TASK_CANCELLED);
    assertThat(then.get(0).event()).isEqualTo(new TaskCancelled(TaskStatus.RUNNING, false));
    assertThat(then.get(0).causationId()).isEqualTo(cancel.eventId());
    assertThat(then.get(0).correlationId()).isEqualTo(cancel.correlationId());
  }

  @Test
  void forcedStopOfRunningTaskSaysSo() {
    givenDecided(task.accept(task.submitted()), task.start(), task.accept(task.cancelRequested("stop")));

    List<Envelope> then = when(task.finish(1, new Outcome.Cancelled(true)));

    assertThat(then.get(0).event()).isEqualTo(new TaskCancelled(TaskStatus.RUNNING, true));
  }

  @Test
  void runningTaskThatCompletesBeforeTheCancelTakesEffectCompletesAndTheCancelIsANoOp() {
    givenDecided(task.accept(task.submitted()), task.start());
    Envelope cancel = task.cancelRequested("late");
    given(cancel);

    List<Envelope> then = when(task.finish(1, new Outcome.Completed(JsonNodeFactory.instance.textNode("done"))));

    assertThat(types(then)).containsExactly(EventType.TASK_COMPLETED, EventType.CANCEL_NOOP);
    assertThat(then.get(1).event()).isEqualTo(new CancelNoOp(NoOpReason.COMPLETED_FIRST, TaskStatus.RUNNING));
    assertThat(then.get(1).causationId()).isEqualTo(cancel.eventId());
  }

  @Test
  void runningTaskThatFailsBeforeTheCancelTakesEffectFailsAndTheCancelIsANoOp() {
    givenDecided(task.accept(task.submitted()), task.start(), task.accept(task.cancelRequested("late")));

    List<Envelope> then = when(task.finish(1, new Outcome.Failed(new TaskError("boom", "it broke", false))));

    assertThat(types(then)).containsExactly(EventType.TASK_FAILED, EventType.CANCEL_NOOP);
  }

  @Test
  void cancelOfTerminalTaskIsRecordedAndAnsweredAlreadyTerminal() {
    givenDecided(task.accept(task.submitted()), task.start(),
        task.finish(1, new Outcome.Completed(JsonNodeFactory.instance.objectNode())));
    Envelope cancel = task.cancelRequested("too late");

    List<Envelope> then = when(task.accept(cancel));

    assertThat(types(then)).containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    assertThat(then.get(1).event()).isEqualTo(new CancelNoOp(NoOpReason.ALREADY_TERMINAL, TaskStatus.COMPLETED));
  }

  @Test
  void cancelOfUnknownTaskIsRecordedAndAnsweredUnknownTask() {
    Envelope cancel = task.cancelRequested("who?");

    List<Envelope> then = when(task.accept(cancel));

    assertThat(types(then)).containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    assertThat(then.get(1).event()).isEqualTo(new CancelNoOp(NoOpReason.UNKNOWN_TASK, null));
  }

  @Test
  void everyCancelOfARunningTaskGetsItsOwnOutcomeAndOnlyTheFirstCancels() {
    givenDecided(task.accept(task.submitted()), task.start());
    Envelope first = task.cancelRequested("first");
    Envelope second = task.cancelRequested("second");
    givenDecided(task.accept(first), task.accept(second));

    List<Envelope> then = when(task.finish(1, new Outcome.Cancelled(false)));

    assertThat(types(then)).containsExactly(EventType.TASK_CANCELLED, EventType.CANCEL_NOOP);
    assertThat(then.get(0).causationId()).isEqualTo(first.eventId());
    assertThat(then.get(1).causationId()).isEqualTo(second.eventId());
    assertThat(then.get(1).event()).isEqualTo(new CancelNoOp(NoOpReason.ALREADY_CANCELLING, TaskStatus.RUNNING));
  }

  @Test
  void aRetriedCancelWithTheSameIdHasNoSecondEffect() {
    givenDecided(task.accept(task.submitted()));
    Envelope cancel = task.cancelRequested("once");
    givenDecided(task.accept(cancel));

    assertThat(when(task.accept(cancel))).isEmpty();
  }

  @Test
  void startTakesOnlyQueuedTasksAndCountsAttempts() {
    givenDecided(task.accept(task.submitted()));

    List<Envelope> then = when(task.start());

    assertThat(then).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(
        new TaskStarted(TaskHistory.WORKER, 1)));
    given(then.toArray(Envelope[]::new));
    assertThat(when(task.start())).isEmpty();
  }

  @Test
  void resultsOfAStaleAttemptAreIgnored() {
    givenDecided(task.accept(task.submitted()), task.start(), task.orphan(OrphanPolicy.RERUN), task.start());

    assertThat(when(task.finish(1, new Outcome.Completed(null)))).isEmpty();
    assertThat(when(task.progress(1, 50))).isEmpty();
    assertThat(types(when(task.finish(2, new Outcome.Completed(null))))).containsExactly(EventType.TASK_COMPLETED);
  }

  @Test
  void orphanedRunningTaskFailsRetryablyUnderTheFailPolicy() {
    givenDecided(task.accept(task.submitted()), task.start());

    List<Envelope> then = when(task.orphan(OrphanPolicy.FAIL));

    assertThat(then).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(
        new TaskFailed(1, new TaskError(TaskError.WORKER_LOST,
            "the worker running this task stopped before it finished", true), null)));
  }

  @Test
  void orphanedRunningTaskGoesBackToTheQueueUnderTheRerunPolicy() {
    givenDecided(task.accept(task.submitted()), task.start());

    List<Envelope> then = when(task.orphan(OrphanPolicy.RERUN));

    assertThat(types(then)).containsExactly(EventType.TASK_REQUEUED);
    given(then.toArray(Envelope[]::new));
    assertThat(when(task.start())).singleElement()
        .satisfies(e -> assertThat(((TaskStarted) e.event()).attempt()).isEqualTo(2));
  }

  @Test
  void cancelThatArrivedWhileTheTaskWasOrphanedStillCancelsIt() {
    givenDecided(task.accept(task.submitted()), task.start());
    Envelope cancel = task.cancelRequested("stop");
    givenDecided(task.accept(cancel));

    List<Envelope> then = when(task.orphan(OrphanPolicy.RERUN));

    assertThat(types(then)).containsExactly(EventType.TASK_CANCELLED);
    assertThat(then.get(0).event()).isEqualTo(new TaskCancelled(TaskStatus.RUNNING, true));
    assertThat(then.get(0).causationId()).isEqualTo(cancel.eventId());
  }

  @Test
  void handlerThatStopsAsCancelledWithoutACancelRequestFails() {
    givenDecided(task.accept(task.submitted()), task.start());

    List<Envelope> then = when(task.finish(1, new Outcome.Cancelled(false)));

    assertThat(types(then)).containsExactly(EventType.TASK_FAILED);
  }

  @Test
  void progressIsReportedOnlyWhileRunning() {
    givenDecided(task.accept(task.submitted()));
    assertThat(when(task.progress(1, 10))).isEmpty();

    givenDecided(task.start());
    assertThat(types(when(task.progress(1, 10)))).containsExactly(EventType.TASK_PROGRESSED);
  }

  @Test
  void decidingTheSameCommandTwiceYieldsTheSameEventIds() {
    givenDecided(task.accept(task.submitted()));
    TaskCommand.Accept accept = task.accept(task.cancelRequested("again"));

    assertThat(when(accept)).isEqualTo(when(accept));
  }

  @Test
  void aCancelInAnotherTenantsNameFindsNoTaskAndLeavesItsHistoryAlone() {
    givenDecided(task.accept(task.submitted()));
    Envelope foreign = Envelope.of(java.util.UUID.randomUUID(), task.taskId(), "globex", task.tick(), "api", null,
        "req-foreign", new CancelRequested("mine now", "key-globex"));

    List<Envelope> then = when(task.accept(foreign));

    assertThat(then.get(1).event()).isEqualTo(new CancelNoOp(NoOpReason.UNKNOWN_TASK, null));
    given(then.toArray(Envelope[]::new));
    TaskState state = TaskState.fold(given);
    assertThat(state.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(state.cancelRequests()).isEmpty();
    assertThat(state.cancelRequestedAt()).isNull();
  }

  @Test
  void everyOutcomeNamesTheBatchOfTheRequestItAnswers() {
    BatchRef ref = new BatchRef(java.util.UUID.randomUUID(), 3);
    Envelope queuedCancel = batchCancel(ref);
    givenDecided(task.accept(task.submitted()));
    assertThat(when(task.accept(queuedCancel)).get(1).event())
        .isEqualTo(new TaskCancelled(TaskStatus.QUEUED, false, null, ref));

    TaskHistory running = TaskHistory.task("t-2");
    List<Envelope> log = new ArrayList<>();
    for (TaskCommand command : List.of(running.accept(running.submitted()), running.start(),
        running.accept(batchCancel(running, ref)), running.accept(running.cancelRequested("later")))) {
      log.addAll(TaskDecider.decide(command, TaskState.fold(log)));
    }
    List<Envelope> stopped = TaskDecider.decide(running.finish(1, new Outcome.Cancelled(false)),
        TaskState.fold(log));
    assertThat(stopped).extracting(Envelope::event).containsExactly(
        new TaskCancelled(TaskStatus.RUNNING, false, null, ref),
        new CancelNoOp(NoOpReason.ALREADY_CANCELLING, TaskStatus.RUNNING, null));
    assertThat(TaskState.fold(log).cancelRequests().get(0).batch()).isEqualTo(ref);
  }

  private Envelope batchCancel(BatchRef ref) {
    return batchCancel(task, ref);
  }

  private static Envelope batchCancel(TaskHistory history, BatchRef ref) {
    return Envelope.of(BatchDecider.requestId(ref.batchId(), history.taskId()), history.taskId(), TaskHistory.TENANT,
        history.tick(), "w", null, "req-batch", new CancelRequested("bulk", "key-test", null, null, List.of(), ref));
  }

  @Test
  void aRunHandedBackAtAPlannedStopIsQueuedAgainAndNotCharged() {
    givenDecided(task.accept(task.submitted()), task.start("0.30"),
        task.usage(1, TaskHistory.usageOf("3", "0.03")));

    List<Envelope> then = when(new TaskCommand.HandBack(task.taskId(), 1, TaskHistory.WORKER, task.tick()));

    assertThat(then).extracting(Envelope::event)
        .containsExactly(new TaskRequeued(1, TaskRequeued.WORKER_STOPPED));
    given(then.toArray(Envelope[]::new));
    TaskState requeued = TaskState.fold(given);
    assertThat(requeued.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(requeued.reservedCredits()).isZero();
    assertThat(requeued.usage()).isNull();
    // Cancelled while waiting for its next run, it costs nothing.
    givenDecided(task.accept(task.cancelRequested("never mind")));
    assertThat(TaskState.fold(given).chargedCredits()).isZero();
    assertThat(when(new TaskCommand.HandBack(task.taskId(), 1, TaskHistory.WORKER, task.tick()))).isEmpty();
  }

  @Test
  void aRunHandedBackWhileACancelWaitsForItIsCancelledByForce() {
    givenDecided(task.accept(task.submitted()), task.start(), task.accept(task.cancelRequested("stop")));

    List<Envelope> then = when(new TaskCommand.HandBack(task.taskId(), 1, TaskHistory.WORKER, task.tick()));

    assertThat(then).extracting(Envelope::event).containsExactly(new TaskCancelled(TaskStatus.RUNNING, true));
  }
}

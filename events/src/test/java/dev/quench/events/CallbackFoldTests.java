package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.TaskCommand.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The task's {@code callback} object as the fold of its log: given events, when folded, then this delivery. */
class CallbackFoldTests {

  private static final String URL = "https://hooks.example.com/quench";
  private final TaskHistory task = TaskHistory.task("t-cb");

  private List<Envelope> run(TaskCommand... commands) {
    List<Envelope> log = new ArrayList<>();
    for (TaskCommand command : commands) {
      log = TaskHistory.decideAfter(log, command);
    }
    return log;
  }

  private List<Envelope> completed() {
    return run(task.accept(task.submittedWithCallback(URL)), task.start(), task.finish(1, new Outcome.Completed(null)));
  }

  private List<Envelope> plus(List<Envelope> log, TaskEvent attempt) {
    List<Envelope> all = new ArrayList<>(log);
    all.add(task.callback(log, attempt));
    return all;
  }

  @Test
  void aTaskWithoutACallbackHasNone() {
    assertThat(TaskState.fold(run(task.accept(task.submitted()))).callback()).isNull();
  }

  @Test
  void aCallbackIsPendingWithoutADeliveryWhileTheTaskRuns() {
    TaskState running = TaskState.fold(run(task.accept(task.submittedWithCallback(URL)), task.start()));

    assertThat(running.callback()).isEqualTo(
        new CallbackDelivery(URL, CallbackStatus.PENDING, 0, null, null, null, null));
    assertThat(running.callback().due()).isFalse();
  }

  @Test
  void theTerminalEventStartsTheDeliveryWhoseIdIsThatEventsId() {
    List<Envelope> log = completed();
    Envelope terminal = log.get(log.size() - 1);

    CallbackDelivery delivery = TaskState.fold(log).callback();

    assertThat(delivery.due()).isTrue();
    assertThat(delivery.deliveryId()).isEqualTo(terminal.eventId());
    assertThat(delivery.nextAttemptAt()).isEqualTo(terminal.occurredAt());
    assertThat(delivery.attemptCount()).isZero();
  }

  @Test
  void aFailedAttemptCountsAndSaysWhatWentWrongAndWhenTheNextIsDue() {
    Instant next = Instant.parse("2026-11-23T11:00:00Z");
    List<Envelope> log = plus(completed(), new CallbackAttempted(1, 503, null, next));

    CallbackDelivery delivery = TaskState.fold(log).callback();

    assertThat(delivery.status()).isEqualTo(CallbackStatus.PENDING);
    assertThat(delivery.attemptCount()).isEqualTo(1);
    assertThat(delivery.lastError()).isEqualTo("HTTP 503");
    assertThat(delivery.nextAttemptAt()).isEqualTo(next);
  }

  @Test
  void aDeliveredCallbackSaysWhenAndIsNoLongerDue() {
    List<Envelope> log = plus(plus(completed(), new CallbackAttempted(1, null, "connection refused",
        Instant.parse("2026-11-23T11:00:00Z"))), new CallbackDelivered(2, 204));
    Envelope delivered = log.get(log.size() - 1);

    CallbackDelivery delivery = TaskState.fold(log).callback();

    assertThat(delivery.status()).isEqualTo(CallbackStatus.DELIVERED);
    assertThat(delivery.attemptCount()).isEqualTo(2);
    assertThat(delivery.deliveredAt()).isEqualTo(delivered.occurredAt());
    assertThat(delivery.lastError()).isEqualTo("connection refused");
    assertThat(delivery.due()).isFalse();
  }

  @Test
  void anAbandonedCallbackIsFailedWithItsLastError() {
    CallbackDelivery delivery = TaskState.fold(plus(completed(), new CallbackAbandoned(1, 410, null))).callback();

    assertThat(delivery.status()).isEqualTo(CallbackStatus.FAILED);
    assertThat(delivery.lastError()).isEqualTo("HTTP 410");
    assertThat(delivery.due()).isFalse();
  }

  @Test
  void anAttemptRecordedTwiceCountsOnce() {
    List<Envelope> log = plus(completed(), new CallbackAttempted(1, 500, null, Instant.parse("2026-11-23T11:00:00Z")));
    List<Envelope> twice = new ArrayList<>(log);
    twice.add(log.get(log.size() - 1));

    assertThat(TaskState.fold(twice)).isEqualTo(TaskState.fold(log));
  }

  @Test
  void callbackEventsChangeNothingElseOfTheTask() {
    List<Envelope> log = completed();
    TaskState before = TaskState.fold(log);

    TaskState after = TaskState.fold(plus(log, new CallbackDelivered(1, 200)));

    assertThat(after.status()).isEqualTo(before.status());
    assertThat(after.completedAt()).isEqualTo(before.completedAt());
    assertThat(after.history()).isEqualTo(before.history());
    assertThat(after.pendingCancels()).isEqualTo(before.pendingCancels());
  }

  @Test
  void aCancelledTasksDeliveryReportsTheCancel() {
    Envelope cancel = task.cancelRequested("user gave up");
    List<Envelope> log = run(task.accept(task.submittedWithCallback(URL)), task.accept(cancel));

    TaskState cancelled = TaskState.fold(log);

    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(cancelled.callback().deliveryId()).isEqualTo(log.get(log.size() - 1).eventId());
    assertThat(cancelled.cancellation().was()).isEqualTo(TaskStatus.QUEUED);
  }

  @Test
  void aLogWithADeliveryIsSoundAndItsEventsAreNotTerminal() {
    List<Envelope> log = plus(plus(completed(), new CallbackAttempted(1, 500, null,
        Instant.parse("2026-11-23T11:00:00Z"))), new CallbackDelivered(2, 200));

    assertThat(LogAudit.audit(log).violations()).isEmpty();
    assertThat(log.subList(log.size() - 2, log.size())).allSatisfy(e -> {
      assertThat(e.type().terminal()).isFalse();
      assertThat(e.type().ofCallback()).isTrue();
      assertThat(e.type().request()).isFalse();
    });
  }

  @Test
  void aCallbackEventBeforeTheTerminalEventOrAfterItSettledIsAViolation() {
    List<Envelope> log = completed();
    Envelope delivered = task.callback(log, new CallbackDelivered(1, 200));
    List<Envelope> early = new ArrayList<>(log.subList(0, log.size() - 1));
    early.add(delivered);
    early.add(log.get(log.size() - 1));
    List<Envelope> late = new ArrayList<>(log);
    late.add(delivered);
    Envelope again = task.callback(log, new CallbackAbandoned(1, 500, null));
    late.add(new Envelope(Uuids.derive("other"), again.schemaVersion(), again.taskId(), again.tenant(),
        again.occurredAt(), again.producer(), again.causationId(), again.correlationId(), again.event()));

    assertThat(LogAudit.audit(early).violations()).singleElement().asString().contains("does not follow");
    assertThat(LogAudit.audit(late).violations()).singleElement().asString().contains("after its callback");
  }
}

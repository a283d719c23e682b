package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.TaskCommand.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogAuditTests {

  private final TaskHistory task = TaskHistory.task("t-1");

  private List<Envelope> run(TaskCommand... commands) {
    List<Envelope> log = new ArrayList<>();
    for (TaskCommand command : commands) {
      log = TaskHistory.decideAfter(log, command);
    }
    return log;
  }

  @Test
  void aLogWrittenByTheDeciderIsSound() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.accept(task.cancelRequested("a")),
        task.accept(task.cancelRequested("b")), task.finish(1, new Outcome.Cancelled(false)),
        task.accept(task.cancelRequested("c")));

    LogAudit.Report report = LogAudit.audit(log);

    assertThat(report.violations()).isEmpty();
    assertThat(report.cancelRequests()).isEqualTo(3);
    assertThat(report.tasks()).isEqualTo(1);
  }

  @Test
  void twoTerminalEventsAreAViolation() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start(), task.finish(1, new Outcome.Completed(null)));
    log.add(Envelope.of(Uuids.derive("x"), task.taskId(), "acme", task.tick(), "w", null, null,
        new TaskFailed(1, new TaskError("x", "x", false), null)));

    assertThat(LogAudit.audit(log).violations()).singleElement().asString().contains("2 terminal events");
  }

  @Test
  void aCancelWithoutAnOutcomeIsAViolation() {
    List<Envelope> log = run(task.accept(task.submitted()), task.start());
    log.add(task.cancelRequested("never answered"));

    assertThat(LogAudit.audit(log).violations()).singleElement().asString().contains("has 0 outcomes");
  }

  @Test
  void aCancelWithTwoOutcomesIsAViolation() {
    Envelope cancel = task.cancelRequested("twice");
    List<Envelope> log = run(task.accept(task.submitted()), task.accept(cancel));
    log.add(Envelope.of(Uuids.derive("y"), task.taskId(), "acme", task.tick(), "w", cancel.eventId(), null,
        new CancelNoOp(NoOpReason.ALREADY_TERMINAL, TaskStatus.CANCELLED)));

    assertThat(LogAudit.audit(log).violations()).anySatisfy(v -> assertThat(v).contains("has 2 outcomes"));
  }

  @Test
  void aStartAfterACancelWhileQueuedIsAViolation() {
    List<Envelope> log = run(task.accept(task.submitted()), task.accept(task.cancelRequested("q")));
    log.add(Envelope.of(Uuids.derive("z"), task.taskId(), "acme", task.tick(), "w", null, null,
        new TaskStarted("w", 1)));

    assertThat(LogAudit.audit(log).violations()).anySatisfy(v -> assertThat(v).contains("started after"));
  }

  @Test
  void anEventIdWrittenTwiceIsAViolation() {
    List<Envelope> log = run(task.accept(task.submitted()));
    log.add(log.get(0));

    assertThat(LogAudit.audit(log).violations()).anySatisfy(v -> assertThat(v).contains("appears twice"));
  }

  @Test
  void aBatchTargetHandedOnOnceWithOneOutcomeIsSoundAndOneLeftIsPending() {
    BatchHistory batch = new BatchHistory(java.util.UUID.randomUUID(), task.tick());
    List<Envelope> log = run(task.accept(task.submitted()));
    log.add(batch.accepted(2, 0, 1));
    log.add(batch.targets(0, 0, null, List.of(task.taskId(), "t-never")));
    BatchShare share = null;
    for (Envelope e : log) {
      share = BatchShare.evolve(share, e);
    }
    Envelope request = BatchDecider.handOn(share, "w", batch.acceptedAt(), 1).get(0);
    log = TaskHistory.decideAfter(log, new TaskCommand.Accept(request, "w", task.tick()));

    LogAudit.Report report = LogAudit.audit(log);

    assertThat(report.violations()).isEmpty();
    assertThat(report.batches()).isEqualTo(1);
    assertThat(report.batchTargets()).isEqualTo(2);
    assertThat(report.targetsPending()).isEqualTo(1);
    assertThat(report.tasks()).isEqualTo(1);
  }

  @Test
  void aTargetHandedOnTwiceOrBothHandedOnAndSkippedOrNeverNamedIsAViolation() {
    BatchHistory batch = new BatchHistory(java.util.UUID.randomUUID(), task.tick());
    List<Envelope> log = run(task.accept(task.submitted()));
    log.add(batch.targets(0, 0, null, List.of(task.taskId())));
    BatchRef ref = new BatchRef(batch.batchId(), 0);
    for (int i = 0; i < 2; i++) {
      log.add(Envelope.of(java.util.UUID.randomUUID(), task.taskId(), TaskHistory.TENANT, task.tick(), "w", null,
          "r", new CancelRequested("x", "k", null, null, List.of(), ref)));
    }
    log.add(Envelope.of(java.util.UUID.randomUUID(), batch.batchId().toString(), TaskHistory.TENANT, task.tick(), "w",
        null, "r", new BatchTargetsSkipped(0, List.of(task.taskId()))));
    log.add(Envelope.of(java.util.UUID.randomUUID(), "t-stray", TaskHistory.TENANT, task.tick(), "w", null, "r",
        new CancelRequested("x", "k", null, null, List.of(), ref)));

    List<String> violations = LogAudit.audit(log).violations();

    assertThat(violations).anyMatch(v -> v.contains("handed task " + task.taskId() + " on 2 times"))
        .anyMatch(v -> v.contains("both handed on and skipped task " + task.taskId()))
        .anyMatch(v -> v.contains("t-stray (chunk 0)"));
  }
}

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
}

package dev.quench.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CancelNoOp;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.LogAudit;
import dev.quench.events.NoOpReason;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskCompleted;
import dev.quench.events.TaskError;
import dev.quench.events.TaskFailed;
import dev.quench.events.TaskProgressed;
import dev.quench.events.TaskStarted;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.DeadLetterHeaders;
import dev.quench.events.wire.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One worker on a real broker, driven through the requests topic: every row of the cancellation table, handlers that
 * ignore their token, poison requests, and the log audited at the end.
 */
class WorkerIntegrationTests {

  private static WorkerFixture fixture;
  private static ConfigurableApplicationContext worker;

  @BeforeAll
  static void startWorker() {
    fixture = new WorkerFixture();
    worker = fixture.startWorker("w1", Map.of("concurrency", "2"), TestHandlers.class);
  }

  @AfterEach
  void releaseSpinningHandlers() {
    TestHandlers.release.countDown();
    TestHandlers.release = new CountDownLatch(1);
  }

  @AfterAll
  static void auditTheLogAndStop() {
    LogAudit.Report report = LogAudit.audit(fixture.reader.events(fixture.topics.log()));
    fixture.close();
    assertThat(report.violations()).isEmpty();
  }

  private void awaitTypes(String taskId, EventType... types) {
    await().atMost(20, SECONDS).untilAsserted(() -> assertThat(fixture.types(taskId)).containsExactly(types));
  }

  private Envelope last(String taskId) {
    List<Envelope> history = fixture.history(taskId);
    return history.get(history.size() - 1);
  }

  @Test
  void runsASubmittedTaskToCompletion() {
    String task = fixture.submit("echo", "{\"hello\":\"world\"}").taskId();

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    assertThat(((TaskCompleted) last(task).event()).output().get("hello").asString()).isEqualTo("world");
  }

  @Test
  void aFailingHandlerFailsItsTaskWithItsCode() {
    String task = fixture.submit("fail", "{\"code\":\"quota\",\"message\":\"over quota\",\"retryable\":true}")
        .taskId();

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_FAILED);
    assertThat(((TaskFailed) last(task).event()).error()).isEqualTo(new TaskError("quota", "over quota", true));
  }

  @Test
  void anUnknownCapabilityFailsTheTask() {
    String task = fixture.submit("teleport", "{}").taskId();

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_FAILED);
    assertThat(((TaskFailed) last(task).event()).error().code()).isEqualTo(TaskError.UNSUPPORTED_CAPABILITY);
  }

  @Test
  void cancelOfRunningSleepStopsItWellInsideItsDuration() {
    String task = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    Envelope cancel = fixture.cancel(task);

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    Envelope cancelled = last(task);
    assertThat(((TaskCancelled) cancelled.event()).was()).isEqualTo(TaskStatus.RUNNING);
    assertThat(((TaskCancelled) cancelled.event()).forced()).isFalse();
    assertThat(cancelled.causationId()).isEqualTo(cancel.eventId());
    // Stopped by its token, not by running out: speed is the benchmark's to show, not a test's on a shared machine.
    assertThat(Duration.between(cancel.occurredAt(), cancelled.occurredAt())).isLessThan(Duration.ofSeconds(30));
  }

  /**
   * The cancel watch stops a run as soon as the request is appended, often before the owner has read that request:
   * the run's end must still be recorded as the cancel's outcome, never as a handler that stopped on its own.
   */
  @Test
  void everyCancelledRunIsRecordedCancelledHoweverFastItStops() {
    for (int round = 0; round < 5; round++) {
      List<String> tasks = List.of(fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId(),
          fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId());
      tasks.forEach(task -> awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED));

      tasks.forEach(fixture::cancel);

      tasks.forEach(task -> awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED,
          EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED));
    }
  }

  /**
   * A record that says it is a cancel but does not decode fires the run's token through the watch; the owner
   * dead-letters it and the run's end is then recorded as what it is, a handler that stopped with no cancel
   * requested (retryable), instead of being held for a cancel that will never be decided.
   */
  @Test
  void aRunStoppedByAnUnreadableCancelEndsAsARetryableFailure() {
    String task = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    Envelope cancel = Envelope.of(UUID.randomUUID(), task, "acme", Instant.now(), "api", null, "req-forged",
        new CancelRequested("forged", "key-test"));

    fixture.send(task, "{not json".getBytes(StandardCharsets.UTF_8), CloudEventHeaders.of(cancel));

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_FAILED);
    TaskError error = ((TaskFailed) last(task).event()).error();
    assertThat(error.code()).isEqualTo(TaskError.HANDLER_ERROR);
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void aCancelledSleepIsChargedTheTimeItSleptAndRefundedTheRestOfItsReservation() {
    // Ten seconds: the sleep reports its usage every tenth of its duration, and the cancel waits for the first report.
    String task = fixture.submit("sleep", "{\"duration_ms\": 10000}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    await().atMost(10, SECONDS).until(() -> fixture.history(task).stream()
        .anyMatch(e -> e.event() instanceof TaskProgressed p && p.usage() != null));

    fixture.cancel(task);

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    TaskStarted started = (TaskStarted) fixture.history(task).stream()
        .filter(e -> e.type() == EventType.TASK_STARTED).findFirst().orElseThrow().event();
    assertThat(started.reservedCredits()).isEqualByComparingTo("0.10");
    TaskState cancelled = TaskState.fold(fixture.history(task));
    assertThat(cancelled.usage().lines()).singleElement().satisfies(line -> {
      assertThat(line.meter()).isEqualTo("sleep_time");
      assertThat(line.unit()).isEqualTo("second");
      assertThat(line.quantity()).isStrictlyBetween(BigDecimal.ZERO, new BigDecimal("10"));
    });
    assertThat(cancelled.chargedCredits()).isEqualByComparingTo(cancelled.usage().credits());
    assertThat(cancelled.refundedCredits()).isEqualByComparingTo(
        new BigDecimal("0.10").subtract(cancelled.chargedCredits()));
    assertThat(cancelled.refundedCredits()).isPositive();
  }

  @Test
  void cancelOfQueuedTaskNeverStartsIt() {
    String first = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    String second = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    // Both slots taken, whichever partition was read first: nothing else can start now.
    awaitTypes(first, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    awaitTypes(second, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    String queued = fixture.submit("sleep", "{\"duration_ms\": 10}").taskId();
    awaitTypes(queued, EventType.TASK_SUBMITTED);

    fixture.cancel(queued);
    awaitTypes(queued, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
    assertThat(last(queued).event()).isEqualTo(new TaskCancelled(TaskStatus.QUEUED, false));

    // Free both slots: the cancelled task must still never start.
    fixture.cancel(first);
    fixture.cancel(second);
    awaitTypes(first, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    String later = fixture.submit("echo", "{}").taskId();
    awaitTypes(later, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    assertThat(fixture.types(queued)).doesNotContain(EventType.TASK_STARTED);
  }

  @Test
  void handlerThatIgnoresItsTokenIsInterruptedAndTheCancelSaysForced() {
    String task = fixture.submit("deaf", "{}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    fixture.cancel(task);

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    assertThat(last(task).event()).isEqualTo(new TaskCancelled(TaskStatus.RUNNING, true));
  }

  @Test
  void handlerThatIgnoresEvenInterruptsIsAbandonedAndItsSlotFreed() {
    String spinning = fixture.submit("spin", "{}").taskId();
    awaitTypes(spinning, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    fixture.cancel(spinning);

    awaitTypes(spinning, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    assertThat(last(spinning).event()).isEqualTo(new TaskCancelled(TaskStatus.RUNNING, true));
    String next = fixture.submit("echo", "{}").taskId();
    String another = fixture.submit("echo", "{}").taskId();
    awaitTypes(next, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    awaitTypes(another, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
  }

  /**
   * The handler hears its token and returns a result anyway; it is held until the cancel is in the log, so the result
   * comes after the request and before its outcome: exactly the race the cancellation table calls completed first.
   */
  @Test
  void cancelThatLosesTheRaceToCompletionIsANoOpAndTheTaskCompletes() {
    // A worker of its own that never interrupts within the test: the handler is held for as long as the test needs.
    try (WorkerFixture patient = new WorkerFixture()) {
      patient.startWorker("patient", Map.of("cancel-grace", "10m", "abandon-after", "10m"), TestHandlers.class);
      String task = patient.submit("finisher", "{}").taskId();
      await().atMost(20, SECONDS).until(() -> patient.types(task).contains(EventType.TASK_STARTED));

      Envelope cancel = patient.cancel(task);
      await().atMost(20, SECONDS).until(() -> patient.types(task).contains(EventType.CANCEL_REQUESTED));
      TestHandlers.release.countDown();

      await().atMost(20, SECONDS).untilAsserted(() -> assertThat(patient.types(task)).containsExactly(
          EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED, EventType.TASK_COMPLETED,
          EventType.CANCEL_NOOP));
      List<Envelope> history = patient.history(task);
      Envelope outcome = history.get(history.size() - 1);
      assertThat(outcome.event()).isEqualTo(new CancelNoOp(NoOpReason.COMPLETED_FIRST, TaskStatus.RUNNING));
      assertThat(outcome.causationId()).isEqualTo(cancel.eventId());
      assertThat(LogAudit.audit(patient.reader.events(patient.topics.log())).violations()).isEmpty();
    }
  }

  @Test
  void cancelOfCompletedTaskIsANoOpAndEveryRepeatGetsItsOwnOutcome() {
    String task = fixture.submit("echo", "{}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);

    Envelope first = fixture.cancel(task);
    Envelope second = fixture.cancel(task);

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED,
        EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP, EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    List<Envelope> history = fixture.history(task);
    assertThat(history.get(4).causationId()).isEqualTo(first.eventId());
    assertThat(history.get(6).causationId()).isEqualTo(second.eventId());
    assertThat(history.get(6).event()).isEqualTo(new CancelNoOp(NoOpReason.ALREADY_TERMINAL,
        TaskStatus.COMPLETED));
  }

  @Test
  void aRetriedCancelWithTheSameEventIdIsRecordedOnce() {
    String task = fixture.submit("echo", "{}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    Envelope cancel = fixture.cancel(task);

    fixture.append(cancel);
    String marker = fixture.submit("echo", "{}").taskId();

    awaitTypes(marker, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED,
        EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
  }

  @Test
  void cancelOfUnknownTaskIsRecordedAsANoOp() {
    String task = "never-submitted-" + Instant.now().toEpochMilli();

    fixture.cancel(task);

    awaitTypes(task, EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    assertThat(last(task).event()).isEqualTo(new CancelNoOp(NoOpReason.UNKNOWN_TASK, null));
  }

  @Test
  void poisonRequestsGoToTheDeadLetterTopicWithTheirReasonAndTheWorkerGoesOn() {
    Envelope valid = fixture.submit("echo", "{}");
    String json = new String(new EventCodec().encode(valid), StandardCharsets.UTF_8);
    double before = deadLetters();

    fixture.send("poison-json", "{not json".getBytes(StandardCharsets.UTF_8));
    fixture.send("poison-type", json.replace("task.submitted", "task.teleported").getBytes(StandardCharsets.UTF_8));
    fixture.send("poison-schema", json.replace("\"schema_version\":1", "\"schema_version\":2")
        .getBytes(StandardCharsets.UTF_8));
    String after = fixture.submit("echo", "{}").taskId();

    awaitTypes(after, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    await().atMost(10, SECONDS).untilAsserted(() -> {
      Map<String, String> reasons = new HashMap<>();
      for (ConsumerRecord<String, byte[]> r : fixture.reader.records(fixture.topics.deadLetter())) {
        reasons.put(r.key(), new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
            StandardCharsets.UTF_8));
      }
      assertThat(reasons).containsEntry("poison-json", "malformed_json").containsEntry("poison-type", "unknown_type")
          .containsEntry("poison-schema", "unsupported_schema_version");
    });
    assertThat(deadLetters() - before).isEqualTo(3);
  }

  private static double deadLetters() {
    return worker.getBean(MeterRegistry.class).counter("quench.worker.dead.letters").count();
  }
}

package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CancelNoOp;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.NoOpReason;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskStatus;
import dev.quench.events.testing.ApiClient.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Requests through the api, decided by the worker, shown by the projector's views: the whole pipeline. */
@Order(1)
class PipelineIntegrationTests {

  private final Pipeline pipeline = Pipeline.shared();

  private List<EventType> types(String taskId) {
    return pipeline.history(taskId).stream().map(Envelope::type).filter(t -> t != EventType.TASK_PROGRESSED)
        .toList();
  }

  @Test
  void submittedTaskRunsToCompletionAndShowsItsOutput() {
    String task = pipeline.submit("echo", "{\"say\":\"hi\"}");

    Response done = pipeline.awaitStatus(task, "completed");

    assertThat(done.at("/output/say")).isEqualTo("hi");
    assertThat(done.at("/started_at")).isNotNull();
    assertThat(done.at("/completed_at")).isNotNull();
  }

  /** Stopped by its token, long before its 30 s are up; how fast is the benchmark's to measure, not this test's. */
  @Test
  void runningSleepIsShownCancelledLongBeforeItWouldHaveEnded() {
    String task = pipeline.submit("sleep", "{\"duration_ms\":30000}");
    pipeline.awaitStatus(task, "running");

    Instant asked = Instant.now();
    Response cancelling = pipeline.api.post("/v1/tasks/" + task + "/cancel", "{\"reason\":\"too slow\"}");
    Response cancelled = pipeline.awaitStatus(task, "cancelled");
    Duration took = Duration.between(asked, Instant.now());

    assertThat(cancelling.status()).isEqualTo(202);
    assertThat(cancelling.at("/status")).isEqualTo("running");
    assertThat(cancelling.at("/cancel_requested_at")).isNotNull();
    assertThat(cancelled.at("/cancel_requested_at")).isEqualTo(cancelling.at("/cancel_requested_at"));
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    System.out.println("cancel request -> shown cancelled: " + took.toMillis() + " ms");
    Envelope last = pipeline.history(task).get(pipeline.history(task).size() - 1);
    assertThat(((TaskCancelled) last.event()).was()).isEqualTo(TaskStatus.RUNNING);
    assertThat(((TaskCancelled) last.event()).forced()).isFalse();
  }

  @Test
  void aCancelledRunIsChargedWhatItUsedAndRefundedTheRestOfItsReservation() {
    String task = pipeline.submit("sleep", "{\"duration_ms\":20000}");
    Response running = pipeline.awaitStatus(task, "running");
    // 20 s at 0.01 credits a second (quench.worker.pricing.sleep) is held while it runs.
    assertThat(running.at("/billing/charged_credits")).isEqualTo("0.2");
    await().atMost(10, SECONDS).until(() -> !pipeline.get(task).json().at("/usage/lines").isEmpty());

    pipeline.api.post("/v1/tasks/" + task + "/cancel", null);
    Response cancelled = pipeline.awaitStatus(task, "cancelled");

    BigDecimal charged = new BigDecimal(cancelled.at("/billing/charged_credits"));
    BigDecimal refunded = new BigDecimal(cancelled.at("/billing/refunded_credits"));
    BigDecimal used = new BigDecimal(cancelled.at("/usage/credits"));
    assertThat(charged.add(refunded)).isEqualByComparingTo("0.2");
    assertThat(charged).isEqualByComparingTo(used).isPositive();
    assertThat(refunded).isEqualByComparingTo(new BigDecimal("0.2").subtract(used)).isPositive();
    assertThat(cancelled.at("/usage/lines/0/meter")).isEqualTo("sleep_time");
    assertThat(new BigDecimal(cancelled.at("/usage/lines/0/quantity"))).isLessThan(new BigDecimal("20"));
  }

  @Test
  void cancelOfQueuedTaskNeverStartsIt() {
    List<String> running = new ArrayList<>();
    for (int i = 0; i < Pipeline.CONCURRENCY; i++) {
      running.add(pipeline.submit("sleep", "{\"duration_ms\":30000}"));
    }
    running.forEach(t -> pipeline.awaitStatus(t, "running"));
    String queued = pipeline.submit("echo", "{}");
    assertThat(pipeline.get(queued).at("/status")).isEqualTo("queued");

    Response cancelling = pipeline.api.post("/v1/tasks/" + queued + "/cancel", null);
    Response cancelled = pipeline.awaitStatus(queued, "cancelled");

    assertThat(cancelling.status()).isEqualTo(202);
    assertThat(cancelled.at("/started_at")).isNull();
    running.forEach(t -> pipeline.api.post("/v1/tasks/" + t + "/cancel", null));
    running.forEach(t -> pipeline.awaitStatus(t, "cancelled"));
    String after = pipeline.submit("echo", "{}");
    pipeline.awaitStatus(after, "completed");
    assertThat(pipeline.get(queued).at("/started_at")).isNull();
    assertThat(types(queued)).containsExactly(EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
  }

  @Test
  void cancelOfCompletedTaskAnswers200WithTheFinalStateEveryTime() {
    String task = pipeline.submit("echo", "{\"n\":1}");
    Response completed = pipeline.awaitStatus(task, "completed");

    Response first = pipeline.api.post("/v1/tasks/" + task + "/cancel", "{}");
    Response second = pipeline.api.post("/v1/tasks/" + task + "/cancel", null);

    for (Response answer : List.of(first, second)) {
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.at("/status")).isEqualTo("completed");
      assertThat(answer.at("/completed_at")).isEqualTo(completed.at("/completed_at"));
      assertThat(answer.at("/output/n")).isEqualTo("1");
    }
    await().atMost(10, SECONDS).untilAsserted(() -> assertThat(types(task)).containsExactly(
        EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED, EventType.CANCEL_REQUESTED,
        EventType.CANCEL_NOOP, EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP));
  }

  @Test
  void aCancelRacingCompletionEndsWithOneTrueOutcome() {
    for (int i = 0; i < 10; i++) {
      String task = pipeline.submit("sleep", "{\"duration_ms\":" + (i * 5) + "}");
      Response answer = pipeline.api.post("/v1/tasks/" + task + "/cancel", null);
      assertThat(answer.status()).isIn(200, 202);

      await().atMost(10, SECONDS).until(() -> TaskStatus.parse(pipeline.get(task).at("/status"))
          .map(TaskStatus::terminal).orElse(false));
      await().atMost(10, SECONDS).untilAsserted(() -> assertThat(types(task)).contains(EventType.CANCEL_REQUESTED)
          .containsAnyOf(EventType.TASK_CANCELLED, EventType.CANCEL_NOOP));
      List<Envelope> history = pipeline.history(task);
      Envelope request = history.stream().filter(e -> e.type() == EventType.CANCEL_REQUESTED).findFirst().get();
      Envelope outcome = history.stream().filter(e -> e.type().cancelOutcome()).findFirst().get();
      assertThat(outcome.causationId()).isEqualTo(request.eventId());
      String status = pipeline.get(task).at("/status");
      if (outcome.event() instanceof CancelNoOp noOp) {
        assertThat(status).isEqualTo("completed");
        assertThat(noOp.reason()).isIn(NoOpReason.COMPLETED_FIRST, NoOpReason.ALREADY_TERMINAL);
      } else {
        assertThat(status).isEqualTo("cancelled");
      }
    }
  }

  @Test
  void unknownTasksAre404() {
    assertThat(pipeline.get("01970000-0000-7000-8000-000000000000").status()).isEqualTo(404);
    assertThat(pipeline.api.post("/v1/tasks/01970000-0000-7000-8000-000000000000/cancel", null).status())
        .isEqualTo(404);
  }
}

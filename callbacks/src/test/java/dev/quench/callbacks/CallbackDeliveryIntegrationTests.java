package dev.quench.callbacks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.callbacks.Receiver.Answer;
import dev.quench.events.CallbackAbandoned;
import dev.quench.events.CallbackAttempted;
import dev.quench.events.CallbackDelivered;
import dev.quench.events.CallbackStatus;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.LogAudit;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.testing.LogReader;
import dev.quench.events.testing.SharedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deliverer on the embedded broker, posting to real receivers on loopback: what it sends, how it retries, when
 * it gives up, and that every attempt is in the log so the task's callback is a fold and a new deliverer resumes.
 */
class CallbackDeliveryIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static Deliverers deliverers;
  private static ConfigurableApplicationContext deliverer;
  private static LogReader reader;

  @BeforeAll
  static void start() {
    deliverers = new Deliverers();
    deliverer = deliverers.start("cb-main");
    reader = new LogReader(SharedKafkaBroker.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    if (deliverer != null) {
      deliverer.close();
    }
    deliverers.close();
  }

  /** Appends a task that asks for a callback to {@code url} and ends as {@code outcome}; returns its terminal event. */
  private static Envelope endedTask(String url, Outcome outcome) {
    return deliverers.endedTask(url, outcome);
  }

  private static List<Envelope> history(String taskId) {
    return deliverers.history(taskId);
  }

  private static TaskState settled(String taskId) {
    return deliverers.settled(taskId);
  }

  private static List<Envelope> callbackEvents(String taskId) {
    return history(taskId).stream().filter(e -> e.type().ofCallback()).toList();
  }

  @Test
  void deliveryIsUpOnceItOwnsAndHasRestoredItsPartitionsAndARestoreIsNoReasonToRestart() {
    HealthIndicator delivery = deliverer.getBean("deliveryHealthIndicator", HealthIndicator.class);
    Health up = await().atMost(30, SECONDS).until(delivery::health, h -> Status.UP.equals(h.getStatus()));
    assertThat(up.getDetails().get("partitions")).asString().isEqualTo("[0, 1]");
    HealthEndpointGroups groups = deliverer.getBean(HealthEndpointGroups.class);
    assertThat(groups.get("liveness").isMember("delivery")).isTrue();
    assertThat(groups.get("readiness").isMember("delivery")).isTrue();
    assertThat(groups.get("liveness").getHttpCodeStatusMapper().getStatusCode(Status.OUT_OF_SERVICE)).isEqualTo(200);
    assertThat(groups.get("readiness").getHttpCodeStatusMapper().getStatusCode(Status.OUT_OF_SERVICE))
        .isEqualTo(503);
    assertThat(groups.get("liveness").getHttpCodeStatusMapper().getStatusCode(Status.DOWN)).isEqualTo(503);
  }

  @Test
  void aCompletedTaskIsPostedOnceWithStandardWebhooksHeadersAndTheLogSaysDelivered() {
    try (Receiver receiver = new Receiver(Answer.status(204))) {
      Envelope terminal = endedTask(receiver.url("/hooks/done"), new Outcome.Completed(
          JSON.readTree("{\"answer\":42}"), TaskHistory.usageOf("2", "0.02")));

      TaskState task = settled(terminal.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.DELIVERED);
      assertThat(task.callback().attemptCount()).isEqualTo(1);
      assertThat(task.callback().deliveredAt()).isNotNull();
      Receiver.Request got = receiver.requests().get(0);
      assertThat(got.header("webhook-id")).isEqualTo("msg_" + terminal.eventId());
      assertThat(Long.parseLong(got.header("webhook-timestamp")))
          .isCloseTo(java.time.Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
      assertThat(got.header("webhook-signature")).startsWith("v1,");
      JsonNode body = JSON.readTree(got.body());
      assertThat(body.get("type").asString()).isEqualTo("task.completed");
      assertThat(body.get("timestamp").asString()).isEqualTo(terminal.occurredAt().toString());
      assertThat(body.at("/data/object").asString()).isEqualTo("task");
      assertThat(body.at("/data/task_id").asString()).isEqualTo(terminal.taskId());
      assertThat(body.at("/data/output/answer").asInt()).isEqualTo(42);
      assertThat(body.at("/data/billing/charged_credits").asString()).isEqualTo("0.02");
      assertThat(body.at("/data/billing/refunded_credits").asString()).isEqualTo("0.48");
      assertThat(body.at("/data/callback/status").asString()).isEqualTo("pending");
      List<Envelope> events = callbackEvents(terminal.taskId());
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.event()).isEqualTo(new CallbackDelivered(1, 204));
        assertThat(e.causationId()).isEqualTo(terminal.eventId());
        assertThat(e.producer()).isEqualTo("callbacks/cb-main");
      });
      assertThat(LogAudit.audit(history(terminal.taskId())).violations()).isEmpty();
    }
  }

  @Test
  void aCancelledTasksCallbackSaysWhoAskedWhyWhenHowAndWhatWasRefunded() {
    try (Receiver receiver = new Receiver(Answer.status(200))) {
      TaskHistory task = TaskHistory.task(UUID.randomUUID().toString());
      List<Envelope> log = new ArrayList<>();
      log.addAll(TaskDecider.decide(task.accept(task.submittedWithCallback(receiver.url("/hooks/cancel"))), null));
      log.addAll(TaskDecider.decide(task.start("0.5"), TaskState.fold(log)));
      Envelope cancel = task.cancelRequested("budget exceeded");
      log.addAll(TaskDecider.decide(task.accept(cancel), TaskState.fold(log)));
      log.addAll(TaskDecider.decide(task.finish(1, new Outcome.Cancelled(true)), TaskState.fold(log)));
      deliverers.append(log);

      settled(task.taskId());

      JsonNode body = JSON.readTree(receiver.requests().get(0).body());
      assertThat(body.get("type").asString()).isEqualTo("task.cancelled");
      JsonNode how = body.at("/data/cancellation");
      assertThat(how.get("requested_by").asString()).isEqualTo("key-test");
      assertThat(how.get("reason").asString()).isEqualTo("budget exceeded");
      assertThat(how.get("requested_at").asString()).isEqualTo(cancel.occurredAt().toString());
      assertThat(how.get("was").asString()).isEqualTo("running");
      assertThat(how.get("forced").asBoolean()).isTrue();
      assertThat(how.get("refunded_credits").asString()).isEqualTo("0.5");
      assertThat(body.at("/data/cancel_requested_at").asString()).isEqualTo(cancel.occurredAt().toString());
      assertThat(body.at("/data/billing/refunded_credits").asString()).isEqualTo("0.5");
    }
  }

  @Test
  void fiveHundredsAreRetriedWithTheSameWebhookIdUntilDelivered() {
    try (Receiver receiver = new Receiver(Answer.status(500), Answer.status(503), Answer.status(200))) {
      Envelope terminal = endedTask(receiver.url("/hooks/flaky"), new Outcome.Failed(
          new dev.quench.events.TaskError("boom", "it broke", false), null));

      TaskState task = settled(terminal.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.DELIVERED);
      assertThat(task.callback().attemptCount()).isEqualTo(3);
      assertThat(task.callback().lastError()).isEqualTo("HTTP 503");
      assertThat(receiver.requests()).hasSize(3).extracting(r -> r.header("webhook-id")).containsOnly(
          "msg_" + terminal.eventId());
      assertThat(JSON.readTree(receiver.requests().get(0).body()).get("type").asString()).isEqualTo("task.failed");
      assertThat(callbackEvents(terminal.taskId())).extracting(Envelope::type).containsExactly(
          EventType.CALLBACK_ATTEMPTED, EventType.CALLBACK_ATTEMPTED, EventType.CALLBACK_DELIVERED);
      assertThat(LogAudit.audit(history(terminal.taskId())).violations()).isEmpty();
    }
  }

  @Test
  void aTimeoutIsRetried() {
    CountDownLatch never = new CountDownLatch(1);
    try (Receiver receiver = new Receiver(Answer.heldUntil(never), Answer.status(200))) {
      Envelope terminal = endedTask(receiver.url("/hooks/slow"), new Outcome.Completed(null));

      TaskState task = settled(terminal.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.DELIVERED);
      CallbackAttempted first = (CallbackAttempted) callbackEvents(terminal.taskId()).get(0).event();
      assertThat(first.statusCode()).isNull();
      assertThat(first.error()).contains("no answer within 2000 ms");
    }
  }

  @Test
  void aRefusedConnectionIsRetriedOnTheWholeScheduleThenGivenUp() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Envelope terminal = endedTask("http://127.0.0.1:" + port + "/hooks/down", new Outcome.Completed(null));

    TaskState task = settled(terminal.taskId());

    assertThat(task.callback().status()).isEqualTo(CallbackStatus.FAILED);
    assertThat(task.callback().attemptCount()).isEqualTo(4);
    assertThat(task.callback().lastError()).isEqualTo("connection refused");
    assertThat(callbackEvents(terminal.taskId())).extracting(Envelope::type).containsExactly(
        EventType.CALLBACK_ATTEMPTED, EventType.CALLBACK_ATTEMPTED, EventType.CALLBACK_ATTEMPTED,
        EventType.CALLBACK_ABANDONED);
  }

  @Test
  void tooManyRequestsWaitsAtLeastTheRetryAfter() {
    try (Receiver receiver = new Receiver(Answer.status(429, Map.of("Retry-After", "1")), Answer.status(200))) {
      Envelope terminal = endedTask(receiver.url("/hooks/busy"), new Outcome.Completed(null));

      settled(terminal.taskId());

      Envelope attempted = callbackEvents(terminal.taskId()).get(0);
      CallbackAttempted first = (CallbackAttempted) attempted.event();
      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(Duration.between(attempted.occurredAt(), first.nextAttemptAt())).isGreaterThanOrEqualTo(
          Duration.ofSeconds(1));
      List<Receiver.Request> got = receiver.requests();
      assertThat(got).hasSize(2);
      assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(
          Duration.ofMillis(900));
    }
  }

  @Test
  void goneStopsAfterOneAttempt() {
    try (Receiver gone = new Receiver(Answer.status(410)); Receiver later = new Receiver(Answer.status(200))) {
      Envelope terminal = endedTask(gone.url("/hooks/gone"), new Outcome.Completed(null));
      TaskState task = settled(terminal.taskId());
      // A task that ends after it is delivered: by then the deliverer has long passed any retry of the first.
      Envelope next = endedTask(later.url("/hooks/later"), new Outcome.Completed(null));
      settled(next.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.FAILED);
      assertThat(callbackEvents(terminal.taskId())).extracting(Envelope::event).containsExactly(
          new CallbackAbandoned(1, 410, null));
      assertThat(gone.requests()).hasSize(1);
    }
  }

  @Test
  void anAddressTheRulesRefuseIsGivenUpAtSendWithoutAConnection() {
    Envelope metadata = endedTask("http://169.254.169.254/latest/meta-data/", new Outcome.Completed(null));
    Envelope privateAddress = endedTask("https://10.20.30.40/hook", new Outcome.Completed(null));

    for (Envelope terminal : List.of(metadata, privateAddress)) {
      TaskState task = settled(terminal.taskId());
      assertThat(task.callback().status()).isEqualTo(CallbackStatus.FAILED);
      assertThat(task.callback().attemptCount()).isEqualTo(1);
      assertThat(task.callback().lastError()).contains("callbacks go to public addresses only");
    }
  }

  @Test
  void aDelivererStoppedMidRetryIsSucceededByOneThatResumesFromTheLogWithTheSameWebhookId() {
    CountDownLatch unanswered = new CountDownLatch(1);
    Deliverers own = new Deliverers();
    ConfigurableApplicationContext first = own.start("cb-first", "--quench.callbacks.read-timeout=30s",
        "--quench.callbacks.schedule=0s,300ms,300ms");
    ConfigurableApplicationContext second = null;
    try (own; Receiver receiver = new Receiver(Answer.status(500), Answer.heldUntil(unanswered),
        Answer.status(200))) {
      TaskHistory task = TaskHistory.task(UUID.randomUUID().toString());
      List<Envelope> log = new ArrayList<>();
      log.addAll(TaskDecider.decide(task.accept(task.submittedWithCallback(receiver.url("/hooks/resume"))), null));
      log.addAll(TaskDecider.decide(task.start(), TaskState.fold(log)));
      log.addAll(TaskDecider.decide(task.finish(1, new Outcome.Completed(null)), TaskState.fold(log)));
      own.append(log);
      Envelope terminal = log.get(log.size() - 1);
      // The second attempt is in flight, its answer held back: nothing records it before the stop.
      await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 2);

      first.close();
      first = null;
      assertThat(callbackEvents(own, terminal.taskId())).extracting(Envelope::type)
          .containsExactly(EventType.CALLBACK_ATTEMPTED);
      second = own.start("cb-second");
      await().atMost(30, SECONDS).until(() -> TaskState.fold(reader.history(own.logTopic(), terminal.taskId()))
          .callback().status() == CallbackStatus.DELIVERED);

      assertThat(receiver.requests()).hasSize(3).extracting(r -> r.header("webhook-id"))
          .containsOnly("msg_" + terminal.eventId());
      List<Envelope> events = callbackEvents(own, terminal.taskId());
      assertThat(events).extracting(Envelope::event).containsExactly(
          new CallbackAttempted(1, 500, null, ((CallbackAttempted) events.get(0).event()).nextAttemptAt()),
          new CallbackDelivered(2, 200));
      assertThat(events.get(1).producer()).isEqualTo("callbacks/cb-second");
      assertThat(LogAudit.audit(reader.history(own.logTopic(), terminal.taskId())).violations()).isEmpty();
    } finally {
      unanswered.countDown();
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
    }
  }

  private static List<Envelope> callbackEvents(Deliverers in, String taskId) {
    return reader.history(in.logTopic(), taskId).stream().filter(e -> e.type().ofCallback()).toList();
  }
}

package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskState;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.EventStreamClient;
import dev.quench.events.testing.EventStreamClient.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task's events (pages and Server-Sent Events, resumed with Last-Event-ID), the tenant's stream, and
 * {@code Prefer: wait}, on one api and a real broker, with the views a projector would write published by the test
 * at the moments that matter.
 */
class TaskEventsIntegrationTests {

  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ApiFixture fixture;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    api = fixture.startApi("api-events", "--quench.api.streams.heartbeat=200ms");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** The log of one task as a worker would write it, a view of it published after each step. */
  private static final class TaskLog {
    final String taskId;
    final List<Envelope> log = new ArrayList<>();

    TaskLog(String taskId) {
      this.taskId = taskId;
    }

    /** Copies in the requests the api appended that are not in the log yet, each decided at once. */
    TaskLog accept() {
      for (Envelope request : fixture.requests(taskId)) {
        if (log.stream().noneMatch(e -> e.eventId().equals(request.eventId()))) {
          log.addAll(TaskDecider.decide(new TaskCommand.Accept(request, "w", request.occurredAt()),
              TaskState.fold(log)));
        }
      }
      return this;
    }

    TaskLog then(TaskCommand command) {
      log.addAll(TaskDecider.decide(command, TaskState.fold(log)));
      return this;
    }

    void publish() {
      fixture.publishView(List.copyOf(log), log.size());
    }

    String idOf(EventType type) {
      return log.stream().filter(e -> e.type() == type).findFirst().orElseThrow().eventId().toString();
    }
  }

  private static TaskLog submitted() {
    Response created = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000}}");
    assertThat(created.status()).isEqualTo(202);
    TaskLog task = new TaskLog(created.at("/task_id"));
    task.accept().publish();
    await().atMost(PATIENCE).until(() -> api.get("/v1/tasks/" + task.taskId + "/events").json().get("data")
        .size() == 1);
    return task;
  }

  private static TaskLog running() {
    TaskLog task = submitted();
    task.then(new TaskCommand.Start(task.taskId, "w", Instant.now())).publish();
    await().atMost(PATIENCE).until(() -> "running".equals(api.get("/v1/tasks/" + task.taskId).at("/status")));
    return task;
  }

  private static void cancelRecorded(TaskLog task) {
    Response cancel = api.post("/v1/tasks/" + task.taskId + "/cancel", "{\"reason\":\"enough\"}");
    assertThat(cancel.status()).isEqualTo(202);
  }

  private static void stopped(TaskLog task) {
    task.accept().then(new TaskCommand.Finish(task.taskId, 1, new Outcome.Cancelled(false), "w", Instant.now()))
        .publish();
  }

  private static JsonNode data(Event event) {
    return JSON.readTree(event.data());
  }

  @Test
  void aTasksStreamSendsItsHistoryThenEachNewEventLiveAndEndsAfterTheTerminalOne() throws Exception {
    TaskLog task = running();
    try (EventStreamClient stream = EventStreamClient.open(api, "/v1/tasks/" + task.taskId + "/events")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      List<Event> history = stream.next(2, PATIENCE);
      assertThat(history).extracting(Event::type).containsExactly("task.submitted", "task.started");
      assertThat(history).extracting(Event::id).containsExactly(task.idOf(EventType.TASK_SUBMITTED),
          task.idOf(EventType.TASK_STARTED));

      cancelRecorded(task);
      task.accept().publish();
      Event requested = stream.next(PATIENCE);
      assertThat(requested.type()).isEqualTo("task.cancel_requested");
      assertThat(data(requested).get("status").asString()).isEqualTo("running");
      assertThat(stream.endsWithin(Duration.ofMillis(300))).as("not before the task ended").isFalse();

      stopped(task);
      Event cancelled = stream.next(PATIENCE);
      assertThat(cancelled.type()).isEqualTo("task.cancelled");
      assertThat(cancelled.id()).isEqualTo(task.idOf(EventType.TASK_CANCELLED));
      JsonNode body = data(cancelled);
      assertThat(body.get("object").asString()).isEqualTo("task_event");
      assertThat(body.get("task_id").asString()).isEqualTo(task.taskId);
      assertThat(body.get("status").asString()).isEqualTo("cancelled");
      assertThat(body.get("sequence").asLong()).isEqualTo(task.log.size());
      assertThat(stream.endsWithin(PATIENCE)).as("the stream ends after the terminal event").isTrue();
    }
  }

  @Test
  void lastEventIdResumesAfterTheEventItNames() throws Exception {
    TaskLog task = running();
    cancelRecorded(task);
    stopped(task);
    await().atMost(PATIENCE).until(() -> "cancelled".equals(api.get("/v1/tasks/" + task.taskId).at("/status")));

    try (EventStreamClient stream = EventStreamClient.open(api, "/v1/tasks/" + task.taskId + "/events",
        "Last-Event-ID", task.idOf(EventType.TASK_STARTED))) {
      assertThat(stream.next(2, PATIENCE)).extracting(Event::type)
          .containsExactly("task.cancel_requested", "task.cancelled");
      assertThat(stream.endsWithin(PATIENCE)).isTrue();
    }
    try (EventStreamClient stream = EventStreamClient.open(api, "/v1/tasks/" + task.taskId + "/events",
        "Last-Event-ID", "not-an-id-this-api-gave")) {
      assertThat(stream.next(4, PATIENCE)).as("an id it does not know: everything it keeps").hasSize(4);
    }
  }

  @Test
  void anIdleStreamGetsHeartbeats() throws Exception {
    TaskLog task = running();
    try (EventStreamClient stream = EventStreamClient.open(api, "/v1/tasks/" + task.taskId + "/events")) {
      assertThat(stream.next(2, PATIENCE)).hasSize(2);
      await().atMost(PATIENCE).until(() -> stream.comments().contains("heartbeat"));
      assertThat(stream.comments().peek()).as("the first line says it is live").isEqualTo("following");
    }
  }

  @Test
  void theScoutPathStreamsTheSameStepsInScoutsShape() throws Exception {
    TaskLog task = running();
    try (EventStreamClient stream = EventStreamClient.open(api, "/scout/v1/tasks/" + task.taskId + "/events")) {
      List<Event> steps = stream.next(2, PATIENCE);
      assertThat(steps).extracting(Event::type).containsExactly("task.submitted", "task.started");
      assertThat(data(steps.get(1)).get("status").asString()).isEqualTo("running");
      assertThat(data(steps.get(1)).has("timestamp")).isTrue();
      cancelRecorded(task);
      stopped(task);
      assertThat(stream.next(2, PATIENCE)).extracting(Event::type)
          .containsExactly("task.cancel_requested", "task.cancelled");
      assertThat(stream.endsWithin(PATIENCE)).isTrue();
    }
  }

  @Test
  void theTenantStreamCarriesEveryNewEventOfItsOwnTasksOfTheTypesAsked() throws Exception {
    TaskLog mine = running();
    try (EventStreamClient stream = EventStreamClient.open(api, "/v1/events?type=task.cancelled,task.started");
         EventStreamClient others = EventStreamClient.open(api.withKey(ApiFixture.OTHER_TENANT_KEY),
             "/v1/events")) {
      await().atMost(PATIENCE).until(() -> stream.comments().contains("following")
          && others.comments().contains("following"));
      TaskLog later = running();
      cancelRecorded(mine);
      stopped(mine);

      List<Event> events = stream.next(2, PATIENCE);
      assertThat(events).extracting(Event::type).containsExactly("task.started", "task.cancelled");
      assertThat(events).extracting(e -> data(e).get("task_id").asString()).containsExactly(later.taskId,
          mine.taskId);
      assertThat(others.next(Duration.ofMillis(500))).as("another tenant sees none of it").isNull();
    }
  }

  @Test
  void pagesOfATasksEventsFollowTheirCursor() {
    TaskLog task = running();
    cancelRecorded(task);
    stopped(task);
    await().atMost(PATIENCE).until(() -> "cancelled".equals(api.get("/v1/tasks/" + task.taskId).at("/status")));

    // No Accept header, as curl sends none: a page of JSON, not a stream.
    Response first = api.get("/v1/tasks/" + task.taskId + "/events?limit=3");
    assertThat(first.json().get("data")).extracting(e -> e.get("type").asString())
        .containsExactly("task.submitted", "task.started", "task.cancel_requested");
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    Response second = api.get("/v1/tasks/" + task.taskId + "/events?limit=3&cursor="
        + first.at("/next_cursor"));
    assertThat(second.json().get("data")).extracting(e -> e.get("type").asString())
        .containsExactly("task.cancelled");
    assertThat(second.json().get("has_more").asBoolean()).isFalse();
    assertThat(second.json().get("next_cursor").isNull()).isTrue();
  }

  @Test
  void aStreamOfAnotherTenantsTaskOrABadFilterIsRefusedInTheErrorShape() {
    TaskLog task = submitted();
    try (EventStreamClient stream = EventStreamClient.open(api.withKey(ApiFixture.OTHER_TENANT_KEY),
        "/v1/tasks/" + task.taskId + "/events")) {
      assertThat(stream.status()).isEqualTo(404);
      assertThat(stream.errorBody()).contains("\"task_not_found\"");
    }
    try (EventStreamClient stream = EventStreamClient.open(api, "/v1/events?type=task.exploded")) {
      assertThat(stream.status()).isEqualTo(400);
      assertThat(stream.errorBody()).contains("\"field\":\"type\"");
    }
    Response json = api.get("/v1/events", "Accept", "application/json");
    assertThat(json.status()).isEqualTo(406);
    assertThat(json.at("/error/code")).isEqualTo("not_acceptable");
    assertThat(json.at("/error/message")).contains("text/event-stream");
    assertThat(api.get("/v1/tasks/" + task.taskId + "/events?cursor=zzz").at("/error/field")).isEqualTo("cursor");
  }

  @Test
  void preferWaitOnACancelAnswersTheFinalStateOnceTheTaskStopped() {
    TaskLog task = running();
    CompletableFuture<Response> cancel = CompletableFuture.supplyAsync(() -> api.post(
        "/v1/tasks/" + task.taskId + "/cancel", "{\"reason\":\"wait for it\"}", "Prefer", "wait=30"));
    // The cancel is recorded and the api is waiting: only now does the task stop.
    await().atMost(PATIENCE).until(() -> fixture.requests(task.taskId).size() == 2);
    assertThat(cancel).isNotDone();
    stopped(task);

    Response answer = cancel.join();
    assertThat(answer.status()).as("the task ended: the final state").isEqualTo(200);
    assertThat(answer.at("/status")).isEqualTo("cancelled");
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=30");
  }

  @Test
  void preferWaitAnswersTheStateThenWhenTheWaitRunsOutFirst() {
    TaskLog task = running();
    Response answer = api.post("/v1/tasks/" + task.taskId + "/cancel", "{}", "Prefer", "wait=1");
    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.at("/status")).isEqualTo("running");
    assertThat(answer.at("/cancel_requested_at")).isNotNull();
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=1");

    Response read = api.get("/v1/tasks/" + task.taskId, "Prefer", "wait=1");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.at("/status")).isEqualTo("running");
  }

  @Test
  void preferWaitOnAReadOfATaskThatEndsAnswersWhenItEnds() {
    TaskLog task = running();
    cancelRecorded(task);
    CompletableFuture<Response> read = CompletableFuture.supplyAsync(() -> api.get("/v1/tasks/" + task.taskId,
        "Prefer", "respond-async, wait=120"));
    await().atMost(PATIENCE).until(() -> fixture.openWaits(api) > 0);
    stopped(task);

    Response answer = read.join();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.at("/status")).isEqualTo("cancelled");
    assertThat(answer.header("Preference-Applied")).as("at most 60 s").isEqualTo("wait=60");
  }

  @Test
  void otherPreferencesChangeNothingAndAMalformedWaitIs400() {
    TaskLog task = submitted();
    Response plain = api.get("/v1/tasks/" + task.taskId, "Prefer", "return=minimal");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.header("Preference-Applied")).isNull();

    Response bad = api.get("/v1/tasks/" + task.taskId, "Prefer", "wait=soon");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.at("/error/field")).isEqualTo("Prefer");
    assertThat(bad.at("/error/request_id")).isNotBlank();
  }
}

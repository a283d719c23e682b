package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskError;
import dev.quench.events.Usage;
import dev.quench.events.UsageLine;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live responses of both renderings, in every state a task can be in, against JSON Schemas written from the two
 * reference docs and against the api's own OpenAPI description; and the Scout rendering as its doc reads.
 */
class ContractIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;
  private static JsonNode spec;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    // Long enough that a cancel waiting for its outcome always sees the view a test publishes meanwhile.
    api = fixture.startApi("api-contract", "--quench.api.scout-cancel-wait=30s");
    spec = api.withKey(null).get("/v3/api-docs").json();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Conforms to the contract schema written from the reference doc, and to the api's own description. */
  private static void assertConforms(String schema, Response response) {
    assertThat(Contracts.violations(schema, response.json())).as(response.body()).isEmpty();
    String component = schema.equals(Contracts.BEATRA_TASK) ? "Task" : schema.equals(Contracts.SCOUT_TASK)
        ? "ScoutTaskRun" : "ScoutValidationError";
    assertThat(Contracts.violations(spec, "/components/schemas/" + component, response.json()))
        .as(response.body()).isEmpty();
  }

  private static Usage usage() {
    return new Usage(Map.of("input_tokens", 120L, "output_tokens", 30L, "tool_calls", 2L),
        List.of(new UsageLine("sleep_time", new BigDecimal("1.5"), "second", new BigDecimal("0.015"))));
  }

  /** Publishes the view a projector would write for the task after the worker started and finished it so. */
  private static void finish(String taskId, Outcome outcome) {
    List<Envelope> requests = fixture.requests(taskId);
    fixture.publishView(ApiFixture.decided(requests,
        new TaskCommand.Start(taskId, "w", Instant.now(), "model-v2", new BigDecimal("0.30")),
        new TaskCommand.ReportProgress(taskId, 1, new dev.quench.events.Progress(40, "working", "halfway"),
            usage(), "w", Instant.now()),
        new TaskCommand.Finish(taskId, 1, outcome, "w", Instant.now())), 100);
  }

  @Test
  void beatraTasksConformInEveryState() {
    Response queued = api.post("/v1/tasks",
        "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000},\"model\":\"fast\",\"metadata\":{\"k\":\"v\"}}");
    assertConforms(Contracts.BEATRA_TASK, queued);
    String completed = queued.at("/task_id");
    String stopping = api.post("/v1/tasks", "{\"capability\":\"echo\"}").at("/task_id");
    Response cancelling = api.post("/v1/tasks/" + stopping + "/cancel", "{\"reason\":\"" + "r".repeat(1200) + "\"}");
    assertConforms(Contracts.BEATRA_TASK, cancelling);
    assertThat(cancelling.at("/warnings/0/code")).isEqualTo("reason_truncated");
    finish(completed, new Outcome.Completed(JSON.readTree("{\"answer\":\"done\"}"), usage()));
    await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/v1/tasks/" + completed).at("/status")));
    Response done = api.get("/v1/tasks/" + completed);
    assertConforms(Contracts.BEATRA_TASK, done);
    assertThat(done.at("/resolved_model")).isEqualTo("model-v2");
    assertThat(done.at("/usage/lines/0/meter")).isEqualTo("sleep_time");
    assertThat(done.json().at("/usage/input_tokens").asLong()).isEqualTo(120);
    assertThat(done.at("/billing/charged_credits")).isEqualTo("0.015");
    assertThat(done.at("/billing/refunded_credits")).isEqualTo("0.285");
    assertThat(done.at("/billing/currency")).isEqualTo("USD");
    assertConforms(Contracts.BEATRA_TASK, api.post("/v1/tasks/" + completed + "/cancel", null));

    String failed = api.post("/v1/tasks", "{\"capability\":\"echo\"}").at("/task_id");
    finish(failed, new Outcome.Failed(new TaskError("boom", "it broke", true), null));
    await().atMost(10, SECONDS).untilAsserted(() -> assertThat(api.get("/v1/tasks/" + failed).body())
        .contains("\"status\":\"failed\""));
    assertConforms(Contracts.BEATRA_TASK, api.get("/v1/tasks/" + failed));

    Response page = api.get("/v1/tasks?limit=5");
    assertThat(page.json().get("data").size()).isPositive();
    page.json().get("data").forEach(task -> assertThat(Contracts.violations(Contracts.BEATRA_TASK, task)).isEmpty());
  }

  @Test
  void aBeatraTaskWithACallbackConformsWhilePendingAndOnceDelivered() {
    Response created = api.post("/v1/tasks",
        "{\"capability\":\"echo\",\"callback\":{\"url\":\"https://93.184.216.34/hooks/quench\"}}");
    assertThat(created.status()).isEqualTo(202);
    assertConforms(Contracts.BEATRA_TASK, created);
    assertThat(created.at("/callback/url")).isEqualTo("https://93.184.216.34/hooks/quench");
    assertThat(created.at("/callback/status")).isEqualTo("pending");
    assertThat(created.json().at("/callback/attempt_count").asInt()).isZero();
    String taskId = created.at("/task_id");

    List<Envelope> log = new java.util.ArrayList<>(ApiFixture.decided(fixture.requests(taskId),
        new TaskCommand.Start(taskId, "w", Instant.now()),
        new TaskCommand.Finish(taskId, 1, new Outcome.Completed(null), "w", Instant.now())));
    dev.quench.events.TaskState ended = dev.quench.events.TaskState.fold(log);
    log.add(ended.callback().record(ended, new dev.quench.events.CallbackAttempted(1, 503, null,
        Instant.now().plusSeconds(5)), "callbacks", Instant.now()));
    dev.quench.events.TaskState retried = dev.quench.events.TaskState.fold(log);
    log.add(retried.callback().record(retried, new dev.quench.events.CallbackDelivered(2, 204), "callbacks",
        Instant.now()));
    fixture.publishView(log, 100);

    await().atMost(10, SECONDS).until(() -> "delivered".equals(api.get("/v1/tasks/" + taskId).at("/callback/status")));
    Response delivered = api.get("/v1/tasks/" + taskId);
    assertConforms(Contracts.BEATRA_TASK, delivered);
    assertThat(delivered.json().at("/callback/attempt_count").asInt()).isEqualTo(2);
    assertThat(delivered.at("/callback/last_error")).isEqualTo("HTTP 503");
    assertThat(delivered.at("/callback/delivered_at")).isNotNull();
  }

  @Test
  void aCallbackToAnAddressTheRulesRefuseIsA422NamingCallbackUrlOnBothPaths() {
    for (String url : List.of("http://93.184.216.34/plain", "https://localhost/hook", "https://127.0.0.1/hook",
        "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data", "https://[fd00:ec2::254]/",
        "https://user:pw@93.184.216.34/", "not a url")) {
      Response refused = api.post("/v1/tasks", "{\"capability\":\"echo\",\"callback\":{\"url\":\"" + url + "\"}}");
      assertThat(refused.status()).as(url).isEqualTo(422);
      assertThat(refused.at("/error/field")).as(url).isEqualTo("callback.url");
      assertThat(refused.at("/error/code")).as(url).isEqualTo("invalid_callback_url");
      assertThat(Contracts.violations(Contracts.ERROR, refused.json().get("error"))).isEmpty();
    }
    assertThat(api.post("/v1/tasks", "{\"capability\":\"echo\",\"callback\":{}}").at("/error/field"))
        .isEqualTo("callback.url");
    Response scout = api.post("/scout/v1/tasks",
        "{\"task\":\"x\",\"callback\":{\"url\":\"https://192.168.0.10/hook\"}}");
    assertThat(scout.status()).isEqualTo(422);
    assertConforms(Contracts.SCOUT_VALIDATION_ERROR, scout);
    assertThat(scout.body()).contains("callback.url");
    Response scoutOk = api.post("/scout/v1/tasks",
        "{\"task\":\"x\",\"callback\":{\"url\":\"https://93.184.216.34/hook\"}}");
    assertThat(scoutOk.status()).isEqualTo(200);
  }

  @Test
  void theOpenApiDescriptionShowsTheCallbackOnCreate() {
    assertThat(spec.at("/components/schemas/CreateTaskRequest/properties/callback").isMissingNode()).isFalse();
    assertThat(spec.at("/components/schemas/CreateTaskCallback/properties/url/format").asString()).isEqualTo("uri");
    assertThat(spec.at("/components/schemas/ScoutCreateTaskRequest/properties/callback").isMissingNode()).isFalse();
  }

  @Test
  void scoutTasksConformInEveryState() {
    Response created = api.post("/scout/v1/tasks", "{\"task\":\"Find renewable energy trends\",\"processor\":\"core\","
        + "\"output_schema\":{\"properties\":{\"market_trends\":{\"type\":\"string\"}}},\"metadata\":{\"a\":\"b\"}}");
    assertThat(created.status()).isEqualTo(200);
    assertConforms(Contracts.SCOUT_TASK, created);
    assertThat(created.at("/fields/0")).isEqualTo("market_trends");
    String taskId = created.at("/task_id");
    finish(taskId, new Outcome.Completed(JSON.readTree("{\"answer\":\"up 15%\",\"sources\":[\"https://a.example\"],"
        + "\"basis\":[{\"field\":\"market_trends\",\"citations\":[],\"reasoning\":\"r\",\"confidence\":\"high\"}]}"),
        usage()));
    await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/scout/v1/tasks/" + taskId)
        .at("/status")));
    Response done = api.get("/scout/v1/tasks/" + taskId);
    assertConforms(Contracts.SCOUT_TASK, done);
    assertThat(done.at("/answer")).isEqualTo("up 15%");
    assertThat(done.at("/run_id")).isEqualTo(taskId);
    assertThat(done.json().at("/usage/tokens/input").asLong()).isEqualTo(120);
    assertThat(done.json().get("credits").asLong()).isEqualTo(1);
    Response noOp = api.post("/scout/v1/tasks/" + taskId + "/cancel", "{}");
    assertThat(noOp.status()).isEqualTo(200);
    assertConforms(Contracts.SCOUT_TASK, noOp);
    // A task created through /v1 reads through /scout/v1 too: one read model, two renderings.
    String beatra = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}").at("/task_id");
    assertConforms(Contracts.SCOUT_TASK, api.get("/scout/v1/tasks/" + beatra));
    Response page = api.get("/scout/v1/tasks");
    page.json().get("data").forEach(task -> assertThat(Contracts.violations(Contracts.SCOUT_TASK, task)).isEmpty());
  }

  @Test
  void errorsConformToTheirShapeOnBothPaths() {
    Response notFound = api.get("/v1/tasks/missing");
    assertThat(Contracts.violations(Contracts.ERROR, notFound.json().get("error"))).isEmpty();
    Response invalid = api.post("/scout/v1/tasks", "{\"task\":\"x\",\"processor\":\"mega\"}");
    assertThat(invalid.status()).isEqualTo(422);
    assertConforms(Contracts.SCOUT_VALIDATION_ERROR, invalid);
    assertThat(invalid.json().at("/detail/0/loc/1").asString()).isEqualTo("processor");
    Response malformed = api.post("/scout/v1/tasks", "{\"task\":");
    assertThat(malformed.status()).isEqualTo(422);
    assertConforms(Contracts.SCOUT_VALIDATION_ERROR, malformed);
  }

  /**
   * Scout's cancel example answers {@code cancelled}: a cancel waits for the outcome. The view a worker and projector
   * would write is published only once the cancel is in the requests topic, so the answer can only have come from
   * waiting for it.
   */
  @Test
  void aScoutCancelOfAQueuedTaskAnswersCancelled() throws Exception {
    String taskId = api.post("/scout/v1/tasks", "{\"task\":\"Find trends\"}").at("/task_id");

    CompletableFuture<Response> cancel = CompletableFuture.supplyAsync(
        () -> api.post("/scout/v1/tasks/" + taskId + "/cancel", "{}"));
    await().atMost(10, SECONDS).until(() -> fixture.requests(taskId).size() == 2);
    assertThat(cancel).as("the cancel waits for its outcome").isNotDone();
    fixture.publishView(ApiFixture.decided(fixture.requests(taskId)), 10);

    Response answer = cancel.get(20, SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.at("/status")).isEqualTo("cancelled");
    assertThat(answer.at("/completedAt")).isNotNull();
    assertConforms(Contracts.SCOUT_TASK, answer);
  }

  @Test
  void aScoutCancelWhoseOutcomeDoesNotComeInTimeAnswersTheStateThen() {
    ApiClient impatient = fixture.startApi("api-contract-impatient", "--quench.api.scout-cancel-wait=300ms");
    try {
      String taskId = impatient.post("/scout/v1/tasks", "{\"task\":\"Wait for nobody\"}").at("/task_id");
      long started = System.nanoTime();

      Response answer = impatient.post("/scout/v1/tasks/" + taskId + "/cancel", "{}");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.at("/status")).isEqualTo("queued");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited its bound")
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertConforms(Contracts.SCOUT_TASK, answer);
    } finally {
      fixture.stopApi("api-contract-impatient");
    }
  }

  @Test
  void aScoutCancelOfAFinishedTaskAnswersAtOnce() {
    String taskId = api.post("/scout/v1/tasks", "{\"task\":\"Done already\"}").at("/task_id");
    finish(taskId, new Outcome.Completed(JSON.readTree("{\"answer\":\"done\"}"), usage()));
    await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/scout/v1/tasks/" + taskId).at("/status")));
    long started = System.nanoTime();

    Response noOp = api.post("/scout/v1/tasks/" + taskId + "/cancel", "{}");

    assertThat(noOp.at("/status")).isEqualTo("completed");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("nothing to wait for").isLessThan(
        Duration.ofSeconds(30));
  }

  @Test
  void aTaskCreatedThroughV1ReadsThroughScoutWithStringsForItsObjectiveAndTheCoreProcessor() {
    String withObjective = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"query\":\"Find it\"}}")
        .at("/task_id");
    String without = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":1000}}")
        .at("/task_id");

    Response asked = api.get("/scout/v1/tasks/" + withObjective);
    assertThat(asked.at("/task")).isEqualTo("Find it");
    assertThat(asked.at("/query")).isEqualTo("Find it");
    Response plain = api.get("/scout/v1/tasks/" + without);
    assertThat(plain.json().get("task").isString()).isTrue();
    assertThat(plain.at("/task")).as("the documented fallback: the capability").isEqualTo("sleep");
    assertThat(plain.at("/query")).isEqualTo("sleep");
    // Every tier runs echo here (the default mapping); none was chosen, so none is invented.
    assertThat(asked.at("/processor")).isEqualTo("core");
    assertThat(plain.at("/processor")).isEqualTo("core");
    assertConforms(Contracts.SCOUT_TASK, plain);
  }

  @Test
  void aTextOrAutoTaskAnswersTheHandlersAnswerAsAStringAndAJsonOneTheObject() {
    String text = api.post("/scout/v1/tasks", "{\"task\":\"Summarize\"}").at("/task_id");
    String json = api.post("/scout/v1/tasks", "{\"task\":\"Extract\",\"output_schema\":{\"type\":\"json\","
        + "\"json_schema\":{\"properties\":{\"growth\":{\"type\":\"string\"}}}}}").at("/task_id");
    String beatra = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"n\":1}}").at("/task_id");
    JsonNode result = JSON.readTree("{\"answer\":\"up 15%\",\"growth\":\"15%\"}");
    for (String taskId : List.of(text, json)) {
      assertThat(api.get("/scout/v1/tasks/" + taskId).json().get("output").isNull()).as("null until completed")
          .isTrue();
      finish(taskId, new Outcome.Completed(result, usage()));
    }
    finish(beatra, new Outcome.Completed(JSON.readTree("{\"n\":1}"), usage()));
    for (String taskId : List.of(text, json, beatra)) {
      await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/scout/v1/tasks/" + taskId).at("/status")));
    }

    Response asText = api.get("/scout/v1/tasks/" + text);
    assertThat(asText.json().get("output").isString()).isTrue();
    assertThat(asText.at("/output")).isEqualTo("up 15%");
    assertThat(asText.at("/answer")).isEqualTo("up 15%");
    Response asJson = api.get("/scout/v1/tasks/" + json);
    assertThat(asJson.json().get("output")).isEqualTo(result);
    assertThat(asJson.at("/answer")).isEqualTo("up 15%");
    assertThat(asJson.at("/fields/0")).isEqualTo("growth");
    Response fromV1 = api.get("/scout/v1/tasks/" + beatra);
    assertThat(fromV1.at("/output")).as("no answer member: the result as text").isEqualTo("{\"n\":1}");
    assertThat(fromV1.at("/answer")).isEqualTo("{\"n\":1}");
    for (Response response : List.of(asText, asJson, fromV1)) {
      assertConforms(Contracts.SCOUT_TASK, response);
    }
  }

  @Test
  void scoutCreditsAreTheCostSoFarThenTheCharge() {
    String taskId = api.post("/scout/v1/tasks", "{\"task\":\"Costly\"}").at("/task_id");
    assertThat(api.get("/scout/v1/tasks/" + taskId).json().get("credits").asLong()).isZero();
    List<Envelope> requests = fixture.requests(taskId);
    Usage soFar = new Usage(Map.of(), List.of(new UsageLine("call", new BigDecimal("2"), "call",
        new BigDecimal("1.2"))));
    fixture.publishView(ApiFixture.decided(requests,
        new TaskCommand.Start(taskId, "w", Instant.now(), null, new BigDecimal("9")),
        new TaskCommand.ReportProgress(taskId, 1, null, soFar, "w", Instant.now())), 20);
    await().atMost(10, SECONDS).until(() -> "running".equals(api.get("/scout/v1/tasks/" + taskId).at("/status")));

    Response running = api.get("/scout/v1/tasks/" + taskId);
    assertThat(running.json().get("credits").asLong()).as("1.2 used so far, not the 9 reserved").isEqualTo(2);
    assertThat(api.get("/v1/tasks/" + taskId).at("/billing/charged_credits")).as("beatra shows the hold")
        .isEqualTo("9");

    Usage total = new Usage(Map.of(), List.of(new UsageLine("call", new BigDecimal("5"), "call",
        new BigDecimal("3.5"))));
    fixture.publishView(ApiFixture.decided(requests,
        new TaskCommand.Start(taskId, "w", Instant.now(), null, new BigDecimal("9")),
        new TaskCommand.Finish(taskId, 1, new Outcome.Completed(JSON.readTree("\"ok\""), total), "w",
            Instant.now())), 30);
    await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/scout/v1/tasks/" + taskId).at("/status")));
    assertThat(api.get("/scout/v1/tasks/" + taskId).json().get("credits").asLong()).as("the charge, 3.5")
        .isEqualTo(4);
  }

  @Test
  void aHandlersResultThatIsNoObjectIsAnObjectInTheBeatraRendering() {
    String taskId = api.post("/v1/tasks", "{\"capability\":\"echo\"}").at("/task_id");
    finish(taskId, new Outcome.Completed(JSON.readTree("\"finished anyway\""), usage()));
    await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/v1/tasks/" + taskId).at("/status")));

    Response done = api.get("/v1/tasks/" + taskId);
    assertThat(done.at("/output/value")).isEqualTo("finished anyway");
    assertConforms(Contracts.BEATRA_TASK, done);
    assertThat(api.get("/scout/v1/tasks/" + taskId).at("/output")).isEqualTo("finished anyway");
  }
}

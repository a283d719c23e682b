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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live responses of both renderings, in every state a task can be in, against JSON Schemas written from the two
 * reference docs; and the live OpenAPI description against what the endpoints answer.
 */
class ContractIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    api = fixture.startApi("api-contract");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void assertConforms(String schema, Response response) {
    assertThat(Contracts.violations(schema, response.json())).as(response.body()).isEmpty();
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

  @Test
  void theLiveOpenApiDescriptionNamesWhatTheEndpointsAnswer() {
    Response spec = api.withKey(null).get("/v3/api-docs");
    assertThat(spec.status()).isEqualTo(200);
    JsonNode paths = spec.json().get("paths");
    assertThat(paths.propertyNames()).contains("/v1/tasks", "/v1/tasks/{taskId}", "/v1/tasks/{taskId}/cancel",
        "/v1/tasks/{taskId}/cancellations", "/scout/v1/tasks", "/scout/v1/tasks/{taskId}",
        "/scout/v1/tasks/{taskId}/events", "/scout/v1/tasks/{taskId}/cancel");
    JsonNode task = spec.json().at("/components/schemas/TaskResource/properties");
    JsonNode documented = JSON.readTree(ContractIntegrationTests.class
        .getResourceAsStream("/contracts/beatra-task.schema.json")).get("properties");
    // The documented fields, and quench's own additions, named here so none slips in unnoticed.
    List<String> additions = List.of("parent_task_id");
    assertThat(task.propertyNames()).containsAll(documented.propertyNames())
        .containsAll(additions).hasSize(documented.propertyNames().size() + additions.size());
    JsonNode scout = spec.json().at("/components/schemas/ScoutTaskResource/properties");
    JsonNode scoutDocumented = JSON.readTree(ContractIntegrationTests.class
        .getResourceAsStream("/contracts/scout-task.schema.json")).get("properties");
    assertThat(scout.propertyNames()).containsExactlyInAnyOrderElementsOf(scoutDocumented.propertyNames());
    assertThat(paths.at("/~1v1~1tasks~1{taskId}~1cancel/post/responses").propertyNames())
        .contains("200", "202", "401", "404");
    assertThat(paths.at("/~1v1~1tasks~1{taskId}/get/parameters").toString()).doesNotContain("caller");
    assertThat(api.withKey(null).get("/swagger-ui/index.html").status()).isEqualTo(200);
  }
}

package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/tasks/{id}/history}: a task's steps as the read model keeps them, for its caller only. */
class TaskHistoryIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    api = fixture.startApi("api-history");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void theHistoryOfATaskIsItsStepsOldestFirst() {
    String taskId = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000}}")
        .at("/task_id");
    api.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"operator: wrong input\"}");
    fixture.publishView(ApiFixture.decided(fixture.requests(taskId)), 3);

    await().atMost(10, SECONDS).until(() -> "cancelled".equals(api.get("/v1/tasks/" + taskId).at("/status")));
    Response history = api.get("/v1/tasks/" + taskId + "/history");

    assertThat(history.status()).isEqualTo(200);
    assertThat(history.at("/object")).isEqualTo("task_history");
    assertThat(history.at("/task_id")).isEqualTo(taskId);
    assertThat(history.at("/status")).isEqualTo("cancelled");
    List<String> steps = new ArrayList<>();
    for (JsonNode step : history.json().get("steps")) {
      steps.add(step.get("type").asString() + " -> " + step.get("status").asString());
      assertThat(step.get("occurred_at").asString()).isNotBlank();
    }
    assertThat(steps).containsExactly("task.submitted -> queued", "task.cancel_requested -> queued",
        "task.cancelled -> cancelled");
    assertThat(history.at("/steps/1/message")).isEqualTo("operator: wrong input");
  }

  @Test
  void theHistoryIsTheCallersOnlyAnotherTenantsOrAnUnknownTaskIs404() {
    String taskId = api.post("/v1/tasks", "{\"capability\":\"echo\"}").at("/task_id");

    assertThat(api.get("/v1/tasks/" + taskId + "/history").status()).isEqualTo(200);
    assertThat(api.withKey("read-only-key").get("/v1/tasks/" + taskId + "/history").status()).isEqualTo(200);
    Response other = api.withKey(ApiFixture.OTHER_TENANT_KEY).get("/v1/tasks/" + taskId + "/history");
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.at("/error/code")).isEqualTo("task_not_found");
    assertThat(api.get("/v1/tasks/01970000-0000-7000-8000-000000000000/history").status()).isEqualTo(404);
    assertThat(api.withKey(null).get("/v1/tasks/" + taskId + "/history").status()).isEqualTo(401);
  }
}

package dev.quench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Listing with filters and cursors, the Scout endpoints, and the audit of a task's cancel requests. */
class TaskQueriesIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;
  private static ApiClient other;

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    api = fixture.startApi("api-queries");
    other = api.withKey(ApiFixture.OTHER_TENANT_KEY);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static List<String> ids(Response page) {
    List<String> ids = new ArrayList<>();
    page.json().get("data").forEach(task -> ids.add(task.get("task_id").asString()));
    return ids;
  }

  @Test
  void listingPagesThroughTheTenantsTasksNewestFirstWithFilters() {
    String batch = UUID.randomUUID().toString();
    Instant before = Instant.now();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(api.post("/v1/tasks", "{\"capability\":\"" + (i % 2 == 0 ? "sleep" : "echo") + "\",\"input\":"
          + "{\"duration_ms\":60000},\"metadata\":{\"batch\":\"" + batch + "\",\"n\":\"" + i + "\"}}")
          .at("/task_id"));
    }
    String filter = "metadata[batch]=" + batch;

    Response first = api.get("/v1/tasks?limit=2&" + filter);
    Response second = api.get("/v1/tasks?limit=2&" + filter + "&cursor=" + first.at("/next_cursor"));
    Response third = api.get("/v1/tasks?limit=2&" + filter + "&cursor=" + second.at("/next_cursor"));

    List<String> paged = new ArrayList<>(ids(first));
    paged.addAll(ids(second));
    paged.addAll(ids(third));
    List<String> newestFirst = new ArrayList<>(created);
    Collections.reverse(newestFirst);
    assertThat(paged).containsExactlyElementsOf(newestFirst);
    assertThat(first.json().get("has_more").asBoolean()).isTrue();
    assertThat(third.json().get("has_more").asBoolean()).isFalse();
    assertThat(third.json().get("next_cursor").isNull()).isTrue();
    assertThat(ids(api.get("/v1/tasks?capability=sleep&" + filter))).hasSize(3);
    assertThat(ids(api.get("/v1/tasks?status=queued,running&" + filter))).hasSize(5);
    assertThat(ids(api.get("/v1/tasks?status=completed&" + filter))).isEmpty();
    assertThat(ids(api.get("/v1/tasks?created_after=" + before + "&metadata[n]=3&" + filter)))
        .containsExactly(created.get(3));
    assertThat(ids(api.get("/v1/tasks?created_before=" + before + "&" + filter))).isEmpty();
    assertThat(ids(other.get("/v1/tasks?" + filter))).isEmpty();
  }

  @Test
  void badListingParametersAre400NamingTheParameter() {
    assertThat(api.get("/v1/tasks?limit=0").at("/error/field")).isEqualTo("limit");
    assertThat(api.get("/v1/tasks?limit=101").at("/error/field")).isEqualTo("limit");
    assertThat(api.get("/v1/tasks?status=lost").at("/error/field")).isEqualTo("status");
    assertThat(api.get("/v1/tasks?cursor=nonsense").at("/error/field")).isEqualTo("cursor");
    assertThat(api.get("/v1/tasks?created_after=yesterday").at("/error/field")).isEqualTo("created_after");
    assertThat(api.get("/v1/tasks?colour=red").at("/error/field")).isEqualTo("colour");
    assertThat(api.get("/v1/tasks?limit=0").status()).isEqualTo(400);
  }

  @Test
  void scoutCreatesReadsCancelsAndShowsTheEventsOfATask() {
    Response created = api.post("/scout/v1/tasks", "{\"query\":\"What changed?\",\"processor\":\"base\"}");
    String taskId = created.at("/task_id");
    assertThat(created.at("/task")).isEqualTo("What changed?");
    assertThat(created.at("/query")).isEqualTo("What changed?");
    assertThat(created.at("/processor")).isEqualTo("base");
    assertThat(created.at("/status")).isEqualTo("queued");
    assertThat(created.json().get("output").isNull()).isTrue();
    assertThat(created.at("/answer")).isEmpty();

    Response cancelled = api.post("/scout/v1/tasks/" + taskId + "/cancel", null);
    assertThat(cancelled.status()).isEqualTo(200);
    Response events = api.get("/scout/v1/tasks/" + taskId + "/events");
    List<String> types = new ArrayList<>();
    events.json().get("events").forEach(e -> types.add(e.get("type").asString()));
    assertThat(types).containsExactly("task.submitted", "task.cancel_requested");
    assertThat(api.get("/v1/tasks/" + taskId).at("/input/task")).isEqualTo("What changed?");
  }

  @Test
  void scoutRefusesWhatItsContractRefuses() {
    assertThat(api.post("/scout/v1/tasks", "{}").json().at("/detail/0/loc/1").asString()).isEqualTo("task");
    assertThat(api.post("/scout/v1/tasks", "{\"task\":\"a\",\"query\":\"b\"}").status()).isEqualTo(422);
    assertThat(api.post("/scout/v1/tasks", "{\"task\":\"a\",\"colour\":1}").json().at("/detail/0/loc/1")
        .asString()).isEqualTo("colour");
    assertThat(api.post("/scout/v1/tasks", "{\"task\":\"a\",\"output_schema\":7}").status()).isEqualTo(422);
    Response unauthorized = api.withKey(null).get("/scout/v1/tasks/x");
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.at("/detail")).isNotBlank();
    Response missing = api.get("/scout/v1/tasks/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.at("/error/code")).isEqualTo("task_not_found");
  }

  @Test
  void theCancellationAuditSaysWhoAskedWhenWhyAndWhatCameOfIt() {
    String taskId = api.post("/v1/tasks", "{\"capability\":\"echo\"}").at("/task_id");
    api.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"user pressed stop\"}", "X-Request-Id", "audit-req-1");

    Response audit = api.get("/v1/tasks/" + taskId + "/cancellations");

    assertThat(audit.status()).isEqualTo(200);
    JsonNode request = audit.json().at("/requests/0");
    assertThat(request.get("requested_by").asString()).isEqualTo("demo");
    assertThat(request.get("reason").asString()).isEqualTo("user pressed stop");
    assertThat(request.get("request_ref").asString()).isEqualTo("audit-req-1");
    assertThat(request.get("found_status").asString()).isEqualTo("queued");
    assertThat(request.get("outcome").asString()).isEqualTo("pending");
    assertThat(request.get("requested_at").asString()).isNotBlank();
    assertThat(api.withKey("read-only-key").get("/v1/tasks/" + taskId + "/cancellations").status()).isEqualTo(403);
    assertThat(other.get("/v1/tasks/" + taskId + "/cancellations").status()).isEqualTo(404);
  }
}

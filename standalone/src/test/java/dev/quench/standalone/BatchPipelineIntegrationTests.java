package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Cancellation batches through the whole pipeline: accepted by the api, each target handed on and decided by its
 * partition's owner, the report folded by the projector, every target with its own outcome.
 */
@Order(2)
class BatchPipelineIntegrationTests {

  private final Pipeline pipeline = Pipeline.shared();
  private final List<String> hogs = new ArrayList<>();

  /** Every slot taken by a long sleep: what the tests submit stays queued. */
  @BeforeEach
  void takeEverySlot() {
    for (int i = 0; i < Pipeline.CONCURRENCY; i++) {
      hogs.add(pipeline.submit("sleep", "{\"duration_ms\":120000}"));
    }
    hogs.forEach(hog -> pipeline.awaitStatus(hog, "running"));
  }

  @AfterEach
  void freeTheSlots() {
    hogs.forEach(hog -> pipeline.api.post("/v1/tasks/" + hog + "/cancel", null));
    hogs.forEach(hog -> pipeline.awaitStatus(hog, "cancelled"));
  }

  private List<String> queued(String campaign, int count) {
    List<String> tasks = IntStream.range(0, count).mapToObj(i -> created(campaign)).toList();
    return tasks;
  }

  private String created(String campaign) {
    Response created = pipeline.api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000},"
        + "\"metadata\":{\"campaign\":\"" + campaign + "\"}}");
    assertThat(created.status()).isEqualTo(202);
    return created.at("/task_id");
  }

  private Response awaitBatch(String batchId, String status) {
    await().atMost(60, SECONDS).pollInterval(Duration.ofMillis(50)).until(() ->
        status.equals(pipeline.api.get("/v1/cancellation_batches/" + batchId).at("/status")));
    return pipeline.api.get("/v1/cancellation_batches/" + batchId);
  }

  private List<JsonNode> report(String batchId) {
    List<JsonNode> targets = new ArrayList<>();
    String cursor = null;
    do {
      Response page = pipeline.api.get("/v1/cancellation_batches/" + batchId + "/tasks?limit=7"
          + (cursor == null ? "" : "&cursor=" + cursor));
      page.json().at("/data").values().forEach(targets::add);
      cursor = page.at("/next_cursor");
    } while (cursor != null);
    return targets;
  }

  @Test
  void oneFilterRequestCancelsEveryMatchingTaskAndReportsEachOne() {
    String campaign = "campaign-" + UUID.randomUUID();
    List<String> targets = queued(campaign, 30);

    Response accepted = pipeline.api.post("/v1/cancellation_batches", "{\"filter\":{\"metadata\":{\"campaign\":\""
        + campaign + "\"},\"status\":[\"queued\"]},\"reason\":\"campaign aborted\"}");

    assertThat(accepted.status()).isEqualTo(202);
    String batchId = accepted.at("/batch_id");
    Response done = awaitBatch(batchId, "completed");
    assertThat(done.json().at("/counts/cancelled_queued").asInt()).isEqualTo(30);
    assertThat(done.json().at("/counts/pending").asInt()).isZero();
    assertThat(done.at("/completed_at")).isNotNull();
    targets.forEach(t -> assertThat(pipeline.get(t).at("/status")).isEqualTo("cancelled"));
    List<JsonNode> pages = report(batchId);
    assertThat(pages).extracting(t -> t.at("/task_id").asString()).containsExactlyInAnyOrderElementsOf(targets);
    assertThat(pages).allMatch(t -> t.at("/outcome").asString().equals("cancelled_queued"));
    // The whole report as JSON Lines says the same, line by line.
    Response lines = pipeline.api.get("/v1/cancellation_batches/" + batchId + "/tasks", "Accept",
        "application/x-ndjson");
    assertThat(lines.header("Content-Type")).as(lines.body()).startsWith("application/x-ndjson");
    assertThat(lines.body().lines().toList()).hasSize(30)
        .containsExactlyElementsOf(pages.stream().map(JsonNode::toString).toList());
    // Each task's audit names the batch its cancel came with.
    Response audit = pipeline.api.get("/v1/tasks/" + targets.get(0) + "/cancellations");
    assertThat(audit.at("/requests/0/batch_id")).isEqualTo(batchId);
    assertThat(audit.at("/requests/0/reason")).isEqualTo("campaign aborted");
  }

  @Test
  void aBatchOverRunningTasksStopsEachOneAndSaysSo() {
    List<String> running = new ArrayList<>(hogs);
    hogs.clear();

    Response accepted = pipeline.api.post("/v1/cancellation_batches", "{\"task_ids\":[\"" + running.get(0)
        + "\",\"" + running.get(1) + "\"]}");

    Response done = awaitBatch(accepted.at("/batch_id"), "completed");
    assertThat(done.json().at("/counts/cancelled_running").asInt()).isEqualTo(2);
    running.forEach(t -> assertThat(pipeline.get(t).at("/status")).isEqualTo("cancelled"));
    takeEverySlot();
  }

  /**
   * 300 targets at 100 a second: the workers hand the last one on about 3 s after acceptance, never sooner. The
   * report's {@code requested_at} is when each was handed on, recorded by its worker.
   */
  @Test
  void aBatchWithARateTakesItsTimeAndNeverRunsFaster() {
    String campaign = "paced-" + UUID.randomUUID();
    queued(campaign, 300);

    Response accepted = pipeline.api.post("/v1/cancellation_batches", "{\"filter\":{\"metadata\":{\"campaign\":\""
        + campaign + "\"}},\"max_per_second\":100}");

    Response done = awaitBatch(accepted.at("/batch_id"), "completed");
    Instant createdAt = Instant.parse(done.at("/created_at"));
    List<Instant> requested = report(accepted.at("/batch_id")).stream()
        .map(t -> Instant.parse(t.at("/requested_at").asString())).sorted().toList();
    assertThat(requested).hasSize(300);
    // Never faster: by any moment, at most the rate's worth (plus the first of each partition's share).
    for (int n = 0; n < requested.size(); n++) {
      Instant earliest = createdAt.plusMillis(Math.max(0, n - 3) * 10L).minusMillis(1);
      assertThat(requested.get(n)).as("target %d", n).isAfterOrEqualTo(earliest);
    }
    Duration took = Duration.between(createdAt, requested.get(requested.size() - 1));
    assertThat(took).isBetween(Duration.ofMillis(2700), Duration.ofMillis(3300));
  }

  @Test
  void aCascadeCancelsAThreeLevelTreeAndEveryTaskThatJoinsItLater() {
    String root = created("tree");
    List<String> children = new ArrayList<>();
    List<String> grandchildren = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String child = child(root);
      children.add(child);
      grandchildren.add(child(child));
      grandchildren.add(child(child));
    }
    String outsider = created("tree");

    Response cancelled = pipeline.api.post("/v1/tasks/" + root + "/cancel", "{\"cascade\":true,\"reason\":\"tree\"}");

    assertThat(cancelled.status()).isEqualTo(202);
    String batchId = cancelled.header("Quench-Cancellation-Batch");
    Response done = awaitBatch(batchId, "completed");
    assertThat(done.at("/selection")).isEqualTo("cascade");
    assertThat(done.at("/root_task_id")).isEqualTo(root);
    assertThat(done.json().at("/counts/cancelled_queued").asInt()).isEqualTo(7);
    List<String> tree = new ArrayList<>(List.of(root));
    tree.addAll(children);
    tree.addAll(grandchildren);
    tree.forEach(t -> pipeline.awaitStatus(t, "cancelled"));
    assertThat(pipeline.get(grandchildren.get(0)).at("/parent_task_id")).isEqualTo(children.get(0));

    // A cancelled tree accepts no new live children: one created now is recorded and cancelled as it arrives.
    String late = child(grandchildren.get(3));
    pipeline.awaitStatus(late, "cancelled");
    assertThat(pipeline.get(late).at("/started_at")).isNull();
    assertThat(pipeline.api.get("/v1/tasks/" + late + "/cancellations").at("/requests/0/batch_id"))
        .isEqualTo(batchId);
    assertThat(pipeline.get(outsider).at("/status")).isEqualTo("queued");
    pipeline.api.post("/v1/tasks/" + outsider + "/cancel", null);
    // The listing finds a task's children.
    Response listed = pipeline.api.get("/v1/tasks?parent_task_id=" + root);
    assertThat(listed.json().at("/data").values()).extracting(t -> t.at("/task_id").asString())
        .containsExactlyInAnyOrderElementsOf(children);
  }

  private String child(String parent) {
    Response created = pipeline.api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000},"
        + "\"parent_task_id\":\"" + parent + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return created.at("/task_id");
  }
}

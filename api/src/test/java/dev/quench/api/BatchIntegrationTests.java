package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.api.log.RequestLog;
import dev.quench.events.BatchTargets;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancellation batches as the api accepts them: the target set resolved against the read model and fixed in the
 * log at acceptance, an exact dry run, other tenants' ids reported not found, idempotent retries, and a refusal for
 * every bad request. The deciding of each target is the workers' and is tested with them.
 */
class BatchIntegrationTests {

  private static final String SLEEP = "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000},"
      + "\"metadata\":{\"campaign\":\"%s\"}}";

  private static ApiFixture fixture;
  private static ApiClient a;
  private static ApiClient b;

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    a = fixture.startApi("api-a");
    b = fixture.startApi("api-b");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static List<String> create(ApiClient api, String campaign, int count) {
    return IntStream.range(0, count).mapToObj(i -> api.post("/v1/tasks", SLEEP.formatted(campaign)).at("/task_id"))
        .toList();
  }

  /** The ids the batch's records in the requests topic hand on, by partition, as the workers read them. */
  private static List<BatchTargets> recorded(String batchId) {
    return fixture.requests(batchId).stream().filter(e -> e.type() == EventType.BATCH_TARGETS)
        .map(e -> (BatchTargets) e.event()).toList();
  }

  private static List<String> handedOn(String batchId) {
    List<String> ids = new ArrayList<>();
    recorded(batchId).stream().filter(t -> !t.notFound()).forEach(t -> ids.addAll(t.taskIds()));
    return ids;
  }

  @Test
  void aDryRunCountsExactlyWhatTheBatchWouldCancelAndRecordsNothing() {
    String campaign = "dry-" + UUID.randomUUID();
    List<String> tasks = create(a, campaign, 5);

    Response preview = b.post("/v1/cancellation_batches", "{\"filter\":{\"metadata\":{\"campaign\":\"" + campaign
        + "\"}},\"dry_run\":true}");

    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.json().at("/matched").asInt()).isEqualTo(5);
    assertThat(preview.json().at("/object").asString()).isEqualTo("cancellation_batch_preview");
    List<String> sample = new ArrayList<>();
    preview.json().at("/task_ids").values().forEach(id -> sample.add(id.asString()));
    assertThat(sample).containsExactlyInAnyOrderElementsOf(tasks);
    assertThat(fixture.reader.events(fixture.topics.requests())).noneMatch(e -> e.type().ofBatch());

    Response batch = b.post("/v1/cancellation_batches", "{\"filter\":{\"metadata\":{\"campaign\":\"" + campaign
        + "\"}}}");
    assertThat(batch.json().at("/matched").asInt()).isEqualTo(preview.json().at("/matched").asInt());
  }

  @Test
  void aFilterIsResolvedWhenTheBatchIsAcceptedAndATaskCreatedLaterIsNeverATarget() {
    String campaign = "fixed-" + UUID.randomUUID();
    List<String> before = create(a, campaign, 4);

    Response accepted = b.post("/v1/cancellation_batches", "{\"filter\":{\"metadata\":{\"campaign\":\"" + campaign
        + "\"},\"status\":[\"queued\"]},\"reason\":\"campaign aborted\"}");
    String later = create(a, campaign, 1).get(0);

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String batchId = accepted.at("/batch_id");
    assertThat(accepted.header("Location")).isEqualTo("/v1/cancellation_batches/" + batchId);
    assertThat(accepted.at("/object")).isEqualTo("cancellation_batch");
    assertThat(accepted.at("/status")).isEqualTo("accepted");
    assertThat(accepted.at("/selection")).isEqualTo("filter");
    assertThat(accepted.json().at("/matched").asInt()).isEqualTo(4);
    assertThat(accepted.json().at("/counts/pending").asInt()).isEqualTo(4);
    assertThat(handedOn(batchId)).containsExactlyInAnyOrderElementsOf(before).doesNotContain(later);
    for (BatchTargets chunk : recorded(batchId)) {
      assertThat(chunk.reason()).isEqualTo("campaign aborted");
      assertThat(chunk.taskIds()).allMatch(id -> RequestLog.partitionFor(id, ApiFixture.PARTITIONS)
          == partitionOf(batchId, chunk));
    }
    // The batch reads on the other instance at once, its targets as fixed.
    Response read = a.get("/v1/cancellation_batches/" + batchId);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().at("/matched").asInt()).isEqualTo(4);
    Response report = a.get("/v1/cancellation_batches/" + batchId + "/tasks");
    List<String> reported = new ArrayList<>();
    report.json().at("/data").values().forEach(t -> reported.add(t.at("/task_id").asString()));
    assertThat(reported).containsExactlyInAnyOrderElementsOf(before);
    assertThat(report.json().at("/data/0/outcome").asString()).isEqualTo("pending");
  }

  @Test
  void idsOfNoTaskOrOfAnotherTenantAreReportedNotFoundAndNeverHandedOn() {
    List<String> mine = create(a, "ids", 2);
    String theirs = a.withKey(ApiFixture.OTHER_TENANT_KEY).post("/v1/tasks", SLEEP.formatted("theirs"))
        .at("/task_id");
    String missing = "01970000-0000-7000-8000-000000000000";

    Response accepted = a.post("/v1/cancellation_batches", "{\"task_ids\":[\"" + mine.get(0) + "\",\"" + theirs
        + "\",\"" + mine.get(1) + "\",\"" + missing + "\",\"" + mine.get(0) + "\"]}");

    String batchId = accepted.at("/batch_id");
    assertThat(accepted.json().at("/matched").asInt()).isEqualTo(2);
    assertThat(accepted.json().at("/not_found").asInt()).isEqualTo(2);
    assertThat(accepted.json().at("/counts/not_found").asInt()).isEqualTo(2);
    assertThat(handedOn(batchId)).containsExactlyInAnyOrderElementsOf(mine);
    assertThat(recorded(batchId)).filteredOn(BatchTargets::notFound).flatExtracting(BatchTargets::taskIds)
        .containsExactlyInAnyOrder(theirs, missing);
    // Another tenant cannot see the batch at all.
    assertThat(a.withKey(ApiFixture.OTHER_TENANT_KEY).get("/v1/cancellation_batches/" + batchId).status())
        .isEqualTo(404);
  }

  @Test
  void aRetryWithTheSameKeyGetsTheSameBatchAndADifferentBodyIsRefused() {
    List<String> tasks = create(a, "retry", 2);
    String body = "{\"task_ids\":[\"" + tasks.get(0) + "\",\"" + tasks.get(1) + "\"],\"max_per_second\":10}";
    String key = "batch-" + UUID.randomUUID();

    Response first = a.post("/v1/cancellation_batches", body, "Idempotency-Key", key);
    Response retry = b.post("/v1/cancellation_batches", body, "Idempotency-Key", key);
    Response other = b.post("/v1/cancellation_batches", "{\"task_ids\":[\"" + tasks.get(0) + "\"]}",
        "Idempotency-Key", key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.at("/batch_id")).isEqualTo(first.at("/batch_id"));
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.at("/error/code")).isEqualTo("idempotency_key_reused");
    assertThat(fixture.requests(first.at("/batch_id")).stream().filter(e -> e.type() == EventType.BATCH_ACCEPTED))
        .hasSize(1);
  }

  @Test
  void anAbortIsRecordedInTheHomeAndEveryPartitionOfTheTargets() {
    List<String> tasks = create(a, "abort", 4);
    String batchId = a.post("/v1/cancellation_batches", "{\"task_ids\":" + json(tasks) + ",\"max_per_second\":1}")
        .at("/batch_id");

    Response aborted = b.post("/v1/cancellation_batches/" + batchId + "/abort", null);
    Response again = a.post("/v1/cancellation_batches/" + batchId + "/abort", null);

    assertThat(aborted.status()).isEqualTo(202);
    assertThat(aborted.at("/status")).isEqualTo("aborted");
    assertThat(aborted.at("/abort_requested_at")).isNotNull();
    assertThat(again.status()).isEqualTo(200);
    List<Envelope> aborts = fixture.requests(batchId).stream()
        .filter(e -> e.type() == EventType.BATCH_ABORT_REQUESTED).toList();
    assertThat(aborts).isNotEmpty();
    // One record per partition, each an event of its own: no event id appears twice in the log.
    assertThat(aborts).extracting(Envelope::eventId).doesNotHaveDuplicates();
  }

  @Test
  void theBatchesOfATenantAreListedNewestFirstInPages() {
    String first = a.post("/v1/cancellation_batches", "{\"task_ids\":" + json(create(a, "list", 1)) + "}")
        .at("/batch_id");
    String second = a.post("/v1/cancellation_batches", "{\"task_ids\":" + json(create(a, "list", 1)) + "}")
        .at("/batch_id");

    Response page = b.get("/v1/cancellation_batches?limit=1");
    Response next = b.get("/v1/cancellation_batches?limit=1&cursor=" + page.at("/next_cursor"));

    assertThat(page.at("/data/0/batch_id")).isEqualTo(second);
    assertThat(next.at("/data/0/batch_id")).isEqualTo(first);
    assertThat(a.withKey(ApiFixture.OTHER_TENANT_KEY).get("/v1/cancellation_batches").json().at("/data").values())
        .noneMatch(batch -> batch.at("/batch_id").asString().equals(first));
  }

  @Test
  void aBadBatchRequestIsRefusedWithItsFieldAndRecordsNothing() {
    String[][] cases = {
        {"{}", "task_ids"},
        {"{\"task_ids\":[\"a\"],\"filter\":{\"capability\":\"sleep\"}}", "filter"},
        {"{\"filter\":{}}", "filter"},
        {"{\"filter\":{\"planet\":\"mars\"}}", "filter.planet"},
        {"{\"filter\":{\"status\":[\"sleeping\"]}}", "filter.status"},
        {"{\"filter\":{\"created_after\":\"yesterday\"}}", "filter.created_after"},
        {"{\"task_ids\":[]}", "task_ids"},
        {"{\"task_ids\":\"a\"}", "task_ids"},
        {"{\"task_ids\":[1]}", "task_ids"},
        {"{\"task_ids\":[\"a\"],\"max_per_second\":0}", "max_per_second"},
        {"{\"task_ids\":[\"a\"],\"max_per_second\":1.5}", "max_per_second"},
        {"{\"task_ids\":[\"a\"],\"dry_run\":\"yes\"}", "dry_run"},
        {"{\"task_ids\":[\"a\"],\"reason\":7}", "reason"},
        {"[]", null}};
    long before = fixture.reader.events(fixture.topics.requests()).stream().filter(e -> e.type().ofBatch()).count();
    for (String[] refused : cases) {
      Response response = a.post("/v1/cancellation_batches", refused[0]);
      assertThat(response.status()).as(refused[0]).isEqualTo(400);
      assertThat(response.at("/error/field")).as(refused[0]).isEqualTo(refused[1]);
      assertThat(response.at("/error/request_id")).as(refused[0]).isNotNull();
    }
    assertThat(a.post("/v1/cancellation_batches", "{\"task_ids\":" + json(IntStream.range(0, 100_001)
        .mapToObj(i -> "t" + i).toList()) + "}").at("/error/field")).isEqualTo("task_ids");
    assertThat(a.withKey("read-only-key").post("/v1/cancellation_batches", "{\"task_ids\":[\"a\"]}").status())
        .isEqualTo(403);
    assertThat(a.get("/v1/cancellation_batches/not-a-batch").status()).isEqualTo(404);
    await().atMost(5, SECONDS).untilAsserted(() -> assertThat(fixture.reader.events(fixture.topics.requests())
        .stream().filter(e -> e.type().ofBatch()).count()).isEqualTo(before));
  }

  private static int partitionOf(String batchId, BatchTargets chunk) {
    return fixture.reader.records(fixture.topics.requests()).stream()
        .filter(r -> batchId.equals(r.key()) && new String(r.headers().lastHeader("ce_type").value(),
            java.nio.charset.StandardCharsets.UTF_8).equals(EventType.BATCH_TARGETS.wire()))
        .filter(r -> new dev.quench.events.wire.EventCodec().decode(r.value()).event().equals(chunk))
        .findFirst().orElseThrow().partition();
  }

  private static String json(List<String> ids) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < ids.size(); i++) {
      out.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
    }
    return out.append(']').toString();
  }
}

package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.ApiClient;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Two api instances on a real broker, with no worker and no projector: what the api records, how it answers, and
 * that an answer already reflects its own request on every instance.
 */
class ApiIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient a;
  private static ApiClient b;

  @BeforeAll
  static void startTwoApis() {
    fixture = new ApiFixture();
    a = fixture.startApi("api-a");
    b = fixture.startApi("api-b");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String submitSleep(ApiClient client) {
    Response created = client.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":5000}}");
    assertThat(created.status()).isEqualTo(202);
    return created.at("/task_id");
  }

  private static void assertError(Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.at("/error/code")).isEqualTo(code);
    assertThat(response.at("/error/message")).isNotBlank();
    assertThat(response.at("/error/request_id")).isEqualTo(response.header("X-Request-Id")).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void submitAnswers202WithTheQueuedTaskItRecorded() {
    Response created = a.post("/v1/tasks",
        "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":100},\"model\":\"m-1\",\"metadata\":{\"team\":\"x\"}}",
        "X-Request-Id", "client-req-1");

    assertThat(created.status()).isEqualTo(202);
    String taskId = created.at("/task_id");
    assertThat(created.at("/object")).isEqualTo("task");
    assertThat(created.at("/status")).isEqualTo("queued");
    assertThat(created.at("/capability")).isEqualTo("sleep");
    assertThat(created.at("/model")).isEqualTo("m-1");
    assertThat(created.at("/metadata/team")).isEqualTo("x");
    assertThat(created.json().at("/input/duration_ms").asInt()).isEqualTo(100);
    assertThat(created.at("/created_at")).isNotNull();
    assertThat(created.json().get("cancel_requested_at").isNull()).isTrue();
    assertThat(created.at("/links/self")).isEqualTo("/v1/tasks/" + taskId);
    assertThat(created.at("/links/cancel")).isEqualTo("/v1/tasks/" + taskId + "/cancel");
    assertThat(created.header("Location")).endsWith("/v1/tasks/" + taskId);
    assertThat(created.header("X-Request-Id")).isEqualTo("client-req-1");

    List<Envelope> recorded = fixture.requests(taskId);
    assertThat(recorded).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventType.TASK_SUBMITTED);
      assertThat(e.tenant()).isEqualTo("demo");
      assertThat(e.correlationId()).isEqualTo("client-req-1");
      assertThat(((TaskSubmitted) e.event()).submittedBy()).isEqualTo("demo");
    });
  }

  @Test
  void aTaskSubmittedThroughOneInstanceIsReadableAndCancellableThroughAnotherAtOnce() {
    String taskId = submitSleep(a);

    Response read = b.get("/v1/tasks/" + taskId);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.at("/status")).isEqualTo("queued");

    Response cancelled = b.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"changed my mind\"}");
    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.at("/cancel_requested_at")).isNotNull();

    Response readBack = a.get("/v1/tasks/" + taskId);
    assertThat(readBack.at("/cancel_requested_at")).isEqualTo(cancelled.at("/cancel_requested_at"));
    assertThat(fixture.requests(taskId)).extracting(Envelope::type)
        .containsExactly(EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED);
    assertThat(((CancelRequested) fixture.requests(taskId).get(1).event()).reason()).isEqualTo("changed my mind");
  }

  /**
   * A batch is appended in a transaction, a create is not: a create acknowledged while a batch transaction is open on
   * its partition lies above the last stable offset. Held open here on purpose, so the race is not left to chance.
   */
  @Test
  void aCreateAcknowledgedBehindAnOpenBatchTransactionIsNeverAnsweredNotFoundByAnotherInstance() throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, fixture.prefix + "open-batch");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> batch = new KafkaProducer<>(config)) {
      batch.initTransactions();
      batch.beginTransaction();
      for (int p = 0; p < ApiFixture.PARTITIONS; p++) {
        batch.send(new ProducerRecord<>(fixture.topics.requests(), p, "open-batch", new byte[0])).get();
      }
      String taskId = submitSleep(a);

      // b cannot read past the open transaction, so it cannot know the task is there: "try again", never "no such task".
      Response whileOpen = b.get("/v1/tasks/" + taskId);
      assertThat(whileOpen.status()).as(whileOpen.body()).isEqualTo(503);
      assertThat(whileOpen.at("/error/code")).isEqualTo("service_unavailable");

      batch.abortTransaction();
      // The abort's markers are written after abortTransaction returns; a loaded broker may take a moment.
      Response afterwards = await().atMost(30, SECONDS).until(() -> b.get("/v1/tasks/" + taskId),
          response -> response.status() != 503);
      assertThat(afterwards.status()).as(afterwards.body()).isEqualTo(200);
      assertThat(afterwards.at("/status")).isEqualTo("queued");
    }
  }

  @Test
  void cancelOfATaskThatAlreadyEndedAnswers200WithItsFinalStateAndIsStillRecorded() {
    String taskId = submitSleep(a);
    List<Envelope> requests = fixture.requests(taskId);
    fixture.publishView(ApiFixture.decided(requests,
        new TaskCommand.Start(taskId, "w", Instant.now()),
        new TaskCommand.Finish(taskId, 1, new Outcome.Completed(JsonNodeFactory.instance.stringNode("done")), "w",
            Instant.now())), 10);
    await().atMost(10, SECONDS).until(() -> "completed".equals(b.get("/v1/tasks/" + taskId).at("/status")));

    Response first = b.post("/v1/tasks/" + taskId + "/cancel", null);
    Response again = a.post("/v1/tasks/" + taskId + "/cancel", "{}");

    for (Response response : List.of(first, again)) {
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.at("/status")).isEqualTo("completed");
      assertThat(response.at("/output/value")).as("a result that is no object, as the contract's object")
          .isEqualTo("done");
      assertThat(response.json().get("cancel_requested_at").isNull()).isTrue();
    }
    assertThat(fixture.requests(taskId)).extracting(Envelope::type).containsExactly(EventType.TASK_SUBMITTED,
        EventType.CANCEL_REQUESTED, EventType.CANCEL_REQUESTED);
  }

  @Test
  void aStaleViewWrittenLateDoesNotRollATaskBack() {
    String taskId = submitSleep(a);
    List<Envelope> requests = fixture.requests(taskId);
    fixture.publishView(ApiFixture.decided(requests, new TaskCommand.Start(taskId, "w", Instant.now())), 20);
    await().atMost(10, SECONDS).until(() -> "running".equals(a.get("/v1/tasks/" + taskId).at("/status")));

    fixture.publishView(ApiFixture.decided(requests), 5);
    String marker = submitSleep(a);
    await().atMost(10, SECONDS).until(() -> a.get("/v1/tasks/" + marker).status() == 200);

    assertThat(a.get("/v1/tasks/" + taskId).at("/status")).isEqualTo("running");
  }

  @Test
  void unknownAndMalformedTaskIdsAre404() {
    assertError(a.get("/v1/tasks/0190b0a0-0000-7000-8000-000000000000"), 404, "task_not_found");
    assertError(a.get("/v1/tasks/t%C3%A4sk%20!"), 404, "task_not_found");
    assertError(a.get("/v1/tasks/a.b;c=d"), 404, "task_not_found");
    // An encoded slash is a malformed path, refused by the server itself, still in the api's error shape.
    assertError(a.get("/v1/tasks/..%2F..%2Fetc"), 400, "invalid_request");
    assertError(a.get("/v1/tasks/" + "x".repeat(500)), 404, "task_not_found");
    assertError(a.post("/v1/tasks/nope/cancel", "{}"), 404, "task_not_found");
  }

  @Test
  void anotherTenantsTaskIsNotFoundNotForbidden() {
    String taskId = submitSleep(a);
    ApiClient other = a.withKey(ApiFixture.OTHER_TENANT_KEY);

    assertError(other.get("/v1/tasks/" + taskId), 404, "task_not_found");
    assertError(other.post("/v1/tasks/" + taskId + "/cancel", "{}"), 404, "task_not_found");
    assertThat(other.get("/v1/tasks/" + taskId + "/cancellations").status()).isEqualTo(404);
    assertThat(other.get("/scout/v1/tasks/" + taskId).status()).isEqualTo(404);
    assertThat(other.get("/scout/v1/tasks/" + taskId + "/events").status()).isEqualTo(404);
    assertThat(other.post("/scout/v1/tasks/" + taskId + "/cancel", "{}").status()).isEqualTo(404);
    assertThat(other.get("/v1/tasks?limit=100").body()).doesNotContain(taskId);
    assertThat(other.get("/scout/v1/tasks").body()).doesNotContain(taskId);
    assertThat(fixture.requests(taskId)).hasSize(1);
  }

  @Test
  void missingOrWrongKeysAre401AndAMissingScopeIs403() {
    assertError(a.withKey(null).get("/v1/tasks/x"), 401, "missing_api_key");
    assertError(a.withKey("not-a-key").post("/v1/tasks", "{\"capability\":\"echo\"}"), 401, "invalid_api_key");
    assertError(a.withKey(null).get("/v1/tasks/x", "Authorization", "Basic Zm9vOmJhcg=="), 401,
        "invalid_authorization");
    Response unauthorized = a.withKey("not-a-key").get("/v1/tasks/x");
    assertThat(unauthorized.header("WWW-Authenticate")).startsWith("Bearer");

    ApiClient readOnly = a.withKey("read-only-key");
    assertError(readOnly.post("/v1/tasks", "{\"capability\":\"echo\"}"), 403, "insufficient_scope");
  }

  @Test
  void invalidSubmissionsNameTheFieldAtFault() {
    assertField(a.post("/v1/tasks", "{}"), "capability");
    assertField(a.post("/v1/tasks", "{\"capability\":42}"), "capability");
    assertField(a.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":\"text\"}"), "input");
    assertField(a.post("/v1/tasks", "{\"capability\":\"echo\",\"metadata\":{\"k\":1}}"), "metadata.k");
    assertField(a.post("/v1/tasks", "{\"capability\":\"echo\",\"metadata\":[]}"), "metadata");
    assertField(a.post("/v1/tasks", "{\"capability\":\"echo\",\"model\":\"\"}"), "model");
    assertField(a.post("/v1/tasks", "{\"capability\":\"echo\",\"surprise\":true}"), "surprise");
    assertField(a.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":" + "[".repeat(65) + "]".repeat(65) + "}"),
        "input");
    assertError(a.post("/v1/tasks", "[1,2]"), 400, "invalid_request");
    assertError(a.post("/v1/tasks", "{\"capability\":"), 400, "malformed_json");
    assertError(a.post("/v1/tasks", ""), 400, "malformed_json");
    assertField(a.post("/v1/tasks/x/cancel", "{\"reason\":7}"), "reason");
  }

  @Test
  void wrongMethodsMediaTypesAndHugeBodiesGetTheErrorShape() {
    assertError(a.send("DELETE", "/v1/tasks/x", null), 405, "method_not_allowed");
    assertError(a.send("POST", "/v1/tasks", "capability=echo", "Content-Type", "text/plain"), 415,
        "unsupported_media_type");
    assertError(a.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":\"" + "x".repeat(2_000_000) + "\"}"), 413,
        "body_too_large");
    assertError(a.get("/v2/nothing"), 404, "not_found");
  }

  @Test
  void aLongCancelReasonIsKeptUpToItsLimit() {
    String taskId = submitSleep(a);

    Response cancelled = a.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"" + "r".repeat(5000) + "\"}");

    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(((CancelRequested) fixture.requests(taskId).get(1).event()).reason()).hasSize(1000);
  }

  @Test
  void theRequestIdIsEchoedWhenUsableAndGeneratedOtherwise() {
    assertThat(a.get("/v1/tasks/x", "X-Request-Id", "abc-123").header("X-Request-Id")).isEqualTo("abc-123");
    assertThat(a.get("/v1/tasks/x").header("X-Request-Id")).startsWith("req_");
    assertThat(a.get("/v1/tasks/x", "X-Request-Id", "has space").header("X-Request-Id")).startsWith("req_");
  }

  private static void assertField(Response response, String field) {
    assertError(response, 400, "invalid_request");
    assertThat(response.at("/error/field")).isEqualTo(field);
  }
}

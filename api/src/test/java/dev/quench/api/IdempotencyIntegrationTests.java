package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} across two api instances on one broker and across an api restart: a retry has no second
 * effect and gets the first answer; the same key with another body is a 422; keys belong to their API key.
 */
class IdempotencyIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient a;
  private static ApiClient b;
  private static final String SLEEP = "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000}}";

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

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private static long submissions(String taskId) {
    return fixture.requests(taskId).stream().filter(e -> e.type() == EventType.TASK_SUBMITTED).count();
  }

  @Test
  void aRetryThroughAnotherInstanceGetsTheFirstAnswerAndCreatesNothing() {
    String key = key();
    Response first = a.post("/v1/tasks", SLEEP, "Idempotency-Key", key);
    Response retry = b.post("/v1/tasks", "{ \"input\": {\"duration_ms\": 60000}, \"capability\": \"sleep\" }",
        "Idempotency-Key", key);

    assertThat(retry.status()).isEqualTo(first.status()).isEqualTo(202);
    assertThat(retry.at("/task_id")).isEqualTo(first.at("/task_id"));
    assertThat(retry.at("/created_at")).isEqualTo(first.at("/created_at"));
    assertThat(submissions(first.at("/task_id"))).isEqualTo(1);
  }

  @Test
  void theSameKeyWithADifferentBodyIs422() {
    String key = key();
    a.post("/v1/tasks", SLEEP, "Idempotency-Key", key);

    Response other = b.post("/v1/tasks", "{\"capability\":\"echo\"}", "Idempotency-Key", key);

    assertThat(other.status()).isEqualTo(422);
    assertThat(other.at("/error/code")).isEqualTo("idempotency_key_reused");
  }

  @Test
  void keysBelongToTheirApiKey() {
    String key = key();
    Response mine = a.post("/v1/tasks", SLEEP, "Idempotency-Key", key);

    Response theirs = a.withKey(ApiFixture.OTHER_TENANT_KEY).post("/v1/tasks", SLEEP, "Idempotency-Key", key);

    assertThat(theirs.status()).isEqualTo(202);
    assertThat(theirs.at("/task_id")).isNotEqualTo(mine.at("/task_id"));
  }

  @Test
  void racingFirstRequestsOnTwoInstancesCountOnceByLogOrder() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 5; round++) {
        String key = key();
        List<Future<Response>> same = new ArrayList<>();
        for (ApiClient client : List.of(a, b, a, b)) {
          same.add(clients.submit((Callable<Response>) () -> client.post("/v1/tasks", SLEEP, "Idempotency-Key",
              key)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<Response> answer : same) {
          Response r = answer.get();
          assertThat(r.status()).isIn(202, 409);
          if (r.status() == 202) {
            ids.add(r.at("/task_id"));
          }
        }
        assertThat(ids).isNotEmpty().allMatch(ids.get(0)::equals);

        String otherKey = key();
        Future<Response> sleep = clients.submit(() -> a.post("/v1/tasks", SLEEP, "Idempotency-Key", otherKey));
        Future<Response> echo = clients.submit(() -> b.post("/v1/tasks", "{\"capability\":\"echo\"}",
            "Idempotency-Key", otherKey));
        // One of the two bodies is first in the log and counts; the other is told its key was taken.
        assertThat(List.of(sleep.get().status(), echo.get().status())).containsExactlyInAnyOrder(202, 422);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aRetryAfterAnApiRestartGetsTheFirstAnswer() {
    String key = key();
    ApiClient c = fixture.startApi("api-c");
    Response first = c.post("/v1/tasks", SLEEP, "Idempotency-Key", key);
    fixture.stopApi("api-c");

    ApiClient restarted = fixture.startApi("api-c");
    Response retry = restarted.post("/v1/tasks", SLEEP, "Idempotency-Key", key);

    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.at("/task_id")).isEqualTo(first.at("/task_id"));
    assertThat(submissions(first.at("/task_id"))).isEqualTo(1);
  }

  @Test
  void aCancelRetryGetsTheSameAnswerAndIsRecordedOnce() {
    String taskId = a.post("/v1/tasks", SLEEP).at("/task_id");
    String key = key();

    Response first = a.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"stop\"}", "Idempotency-Key", key);
    Response retry = b.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"stop\"}", "Idempotency-Key", key);
    Response other = b.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"other\"}", "Idempotency-Key", key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.at("/cancel_requested_at")).isEqualTo(first.at("/cancel_requested_at"));
    assertThat(other.status()).isEqualTo(422);
    List<Envelope> cancels = fixture.requests(taskId).stream()
        .filter(e -> e.type() == EventType.CANCEL_REQUESTED).toList();
    assertThat(cancels).hasSize(1);
  }

  @Test
  void aCancelRetryAfterTheTaskEndedIsA200WithTheFinalState() {
    String taskId = a.post("/v1/tasks", SLEEP).at("/task_id");
    String key = key();
    Response first = a.post("/v1/tasks/" + taskId + "/cancel", "{}", "Idempotency-Key", key);
    fixture.publishView(ApiFixture.decided(fixture.requests(taskId)), 10);
    await().atMost(10, SECONDS).until(() -> "cancelled".equals(b.get("/v1/tasks/" + taskId).at("/status")));

    Response retry = b.post("/v1/tasks/" + taskId + "/cancel", "{}", "Idempotency-Key", key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(first.at("/status")).isEqualTo("queued");
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.at("/status")).isEqualTo("cancelled");
    assertThat(retry.at("/cancel_requested_at")).isEqualTo(first.at("/cancel_requested_at"));
    assertThat(fixture.requests(taskId)).extracting(Envelope::type)
        .containsExactly(EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED);
  }

  /**
   * The IETF draft's "same key, another request" covers a cancel of another task: recognised through another
   * instance, after the first cancel's task ended and its view replaced the request, and after a restart, which
   * rebuilds the index of cancel keys from the views.
   */
  @Test
  void theSameKeyOnAnotherTasksCancelIs422ThroughAnyInstanceAndAfterARestart() {
    String first = a.post("/v1/tasks", SLEEP).at("/task_id");
    String other = a.post("/v1/tasks", SLEEP).at("/task_id");
    String key = key();
    assertThat(a.post("/v1/tasks/" + first + "/cancel", "{}", "Idempotency-Key", key).status()).isEqualTo(202);

    Response elsewhere = b.post("/v1/tasks/" + other + "/cancel", "{}", "Idempotency-Key", key);
    assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(422);
    assertThat(elsewhere.at("/error/code")).isEqualTo("idempotency_key_reused");
    assertThat(elsewhere.at("/error/field")).isEqualTo("Idempotency-Key");

    fixture.publishView(ApiFixture.decided(fixture.requests(first)), 10);
    ApiClient restarted = fixture.startApi("api-d");
    try {
      await().atMost(10, SECONDS).until(() -> "cancelled".equals(restarted.get("/v1/tasks/" + first).at("/status")));
      assertThat(restarted.post("/v1/tasks/" + other + "/cancel", "{}", "Idempotency-Key", key).status())
          .isEqualTo(422);
      assertThat(restarted.post("/v1/tasks/" + first + "/cancel", "{}", "Idempotency-Key", key).status())
          .as("a retry on the first task gets its answer").isEqualTo(200);
    } finally {
      fixture.stopApi("api-d");
    }
    assertThat(fixture.requests(other)).extracting(Envelope::type).containsExactly(EventType.TASK_SUBMITTED);
  }

  @Test
  void aCancelKeyOlderThanTheRetentionMayCancelAnotherTask() {
    ApiClient forgetful = fixture.startApi("api-forgetful-cancels", "--quench.api.idempotency-retention=1ms");
    try {
      String first = forgetful.post("/v1/tasks", SLEEP).at("/task_id");
      String other = forgetful.post("/v1/tasks", SLEEP).at("/task_id");
      String key = key();
      forgetful.post("/v1/tasks/" + first + "/cancel", "{}", "Idempotency-Key", key);

      await().atMost(5, SECONDS).until(() -> forgetful.post("/v1/tasks/" + other + "/cancel", "{}",
          "Idempotency-Key", key).status() == 202);
    } finally {
      fixture.stopApi("api-forgetful-cancels");
    }
  }

  @Test
  void aKeyOlderThanTheRetentionStartsANewRequest() {
    ApiClient forgetful = fixture.startApi("api-forgetful", "--quench.api.idempotency-retention=1ms");
    String key = key();

    String first = forgetful.post("/v1/tasks", SLEEP, "Idempotency-Key", key).at("/task_id");
    String second = forgetful.post("/v1/tasks", SLEEP, "Idempotency-Key", key).at("/task_id");
    String third = forgetful.post("/v1/tasks", "{\"capability\":\"echo\"}", "Idempotency-Key", key).at("/task_id");

    assertThat(List.of(first, second, third)).doesNotHaveDuplicates().doesNotContainNull();
  }

  @Test
  void aMalformedKeyIsRefused() {
    assertThat(a.post("/v1/tasks", SLEEP, "Idempotency-Key", "x".repeat(300)).status()).isEqualTo(400);
    assertThat(a.post("/v1/tasks", SLEEP, "Idempotency-Key", " ").at("/error/field")).isEqualTo("Idempotency-Key");
  }
}

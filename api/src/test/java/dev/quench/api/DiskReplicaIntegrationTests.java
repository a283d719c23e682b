package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.TaskCommand;
import dev.quench.events.testing.ApiClient;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An api whose replica keeps its views on disk serves the same answers, and a restart resumes where it was. */
class DiskReplicaIntegrationTests {

  @TempDir
  Path replicaDir;

  @Test
  void aDiskReplicaServesReadsListsAndCancelsAndResumesAfterARestart() {
    try (ApiFixture fixture = new ApiFixture()) {
      String[] disk = {"--quench.api.replica-store=rocksdb", "--quench.api.replica-path=" + replicaDir,
          "--quench.api.replica-cache=8MB"};
      ApiClient api = fixture.startApi("api-disk", disk);
      String taskId = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"n\":1}}").at("/task_id");
      fixture.publishView(ApiFixture.decided(fixture.requests(taskId),
          new TaskCommand.Start(taskId, "w", Instant.now()),
          new TaskCommand.Finish(taskId, 1, new TaskCommand.Outcome.Completed(null), "w", Instant.now())), 7);
      await().atMost(10, SECONDS).until(() -> "completed".equals(api.get("/v1/tasks/" + taskId).at("/status")));
      assertThat(api.get("/v1/tasks").json().get("data").get(0).get("task_id").asString()).isEqualTo(taskId);
      assertThat(api.post("/v1/tasks/" + taskId + "/cancel", null).status()).isEqualTo(200);

      fixture.stopApi("api-disk");
      ApiClient restarted = fixture.startApi("api-disk", disk);

      assertThat(restarted.get("/v1/tasks/" + taskId).at("/status")).isEqualTo("completed");
      assertThat(restarted.get("/v1/tasks").json().get("data").get(0).get("task_id").asString()).isEqualTo(taskId);
    }
  }
}

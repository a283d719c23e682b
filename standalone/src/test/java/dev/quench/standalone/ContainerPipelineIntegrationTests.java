package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.wire.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The pipeline on Apache Kafka's official image, where a Docker engine exists; skipped where none runs (as on the
 * project's own machines, which use the embedded broker instead).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineIntegrationTests {

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.1");

  @Test
  void cancelsQueuedAndRunningTasksOnTheOfficialKafkaImage() {
    try (Services services = new Services(
        Map.of("spring.kafka.bootstrap-servers", KAFKA.getBootstrapServers(), "server.port", 0),
        Map.of(
        "quench.api.demo-key", "container-key",
        "quench.worker.concurrency", 1))) {
      ApiClient api = new ApiClient("http://localhost:" + services.apiPort(), "container-key");
      String running = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000}}")
          .at("/task_id");
      await().atMost(30, SECONDS).until(() -> "running".equals(api.get("/v1/tasks/" + running).at("/status")));
      String queued = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}").at("/task_id");

      assertThat(api.post("/v1/tasks/" + queued + "/cancel", null).status()).isEqualTo(202);
      assertThat(api.post("/v1/tasks/" + running + "/cancel", null).status()).isEqualTo(202);

      await().atMost(10, SECONDS).until(() -> "cancelled".equals(api.get("/v1/tasks/" + running).at("/status")));
      Response cancelledWhileQueued = api.get("/v1/tasks/" + queued);
      assertThat(cancelledWhileQueued.at("/status")).isEqualTo("cancelled");
      assertThat(cancelledWhileQueued.at("/started_at")).isNull();
      await().atMost(10, SECONDS).untilAsserted(() -> assertThat(
          AuditCommand.audit(KAFKA.getBootstrapServers(), Topics.defaults(), true).violations()).isEmpty());
    }
  }
}

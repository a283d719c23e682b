package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default as the README runs it: a real broker in a child process, data in a directory of its own,
 * the three services, and a restart on the same data.
 */
class QuenchStandaloneIntegrationTests {

  @TempDir
  Path dataDir;

  private String[] args(int brokerPort, int controllerPort) {
    return new String[] {"--quench.data-dir=" + dataDir, "--quench.broker.port=" + brokerPort,
        "--quench.broker.controller-port=" + controllerPort, "--server.port=0",
        "--quench.worker.concurrency=2", "--quench.worker.shutdown-grace=0s", "--logging.level.org.apache.kafka=WARN"};
  }

  @Test
  void servesTheApiOnARealBrokerAndKeepsEverythingAcrossARestart() {
    int brokerPort = freePort();
    int controllerPort = freePort();
    String taskId;
    String apiKey;
    try (QuenchStandalone quench = QuenchStandalone.start(args(brokerPort, controllerPort))) {
      apiKey = quench.apiKey();
      assertThat(quench.banner(0)).contains(apiKey, "localhost:" + brokerPort, "/v1/tasks");
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), apiKey);
      Response created = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000}}");
      assertThat(created.status()).isEqualTo(202);
      taskId = created.at("/task_id");
      await().atMost(30, SECONDS).until(() -> "running".equals(api.get("/v1/tasks/" + taskId).at("/status")));
      assertThat(api.post("/v1/tasks/" + taskId + "/cancel", "{}").status()).isEqualTo(202);
      await().atMost(10, SECONDS).until(() -> "cancelled".equals(api.get("/v1/tasks/" + taskId).at("/status")));
      assertThat(api.withKey("wrong").get("/v1/tasks/" + taskId).status()).isEqualTo(401);
    }
    // The generated key was kept with the data: the same one works after a restart.
    assertThat(Files.exists(dataDir.resolve("demo-api-key"))).isTrue();

    try (QuenchStandalone quench = QuenchStandalone.start(args(brokerPort, controllerPort))) {
      assertThat(quench.apiKey()).isEqualTo(apiKey);
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), apiKey);
      Response after = api.get("/v1/tasks/" + taskId);
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.at("/status")).isEqualTo("cancelled");
      AuditCommand.Findings findings = AuditCommand.audit(quench.bootstrapServers(), Topics.defaults(), true);
      assertThat(findings.violations()).isEmpty();
      assertThat(findings.log().cancelRequests()).isEqualTo(1);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

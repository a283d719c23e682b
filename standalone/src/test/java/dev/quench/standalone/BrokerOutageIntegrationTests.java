package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker dies under a running service and comes back: meanwhile writes are refused fast and retryably, reads
 * still answer, health says so; afterwards everything resumes by itself and nothing acknowledged is lost.
 */
class BrokerOutageIntegrationTests {

  @TempDir
  Path dataDir;

  @Test
  void aBrokerOutageIsRefusedFastThenOutlivedWithNothingLost() {
    BrokerSettings settings = BrokerSettings.of(dataDir, freePort()).withControllerPort(freePort())
        // A killed broker's registration expires in 2 s instead of 9: the restart below comes back sooner.
        .withExtraBrokerProperties(Map.of("broker.session.timeout.ms", "2000"));
    KafkaBroker broker = KafkaBroker.start(settings);
    try (Services services = new Services(
        Map.of("spring.kafka.bootstrap-servers", broker.bootstrapServers(), "server.port", 0),
        Map.of("quench.api.demo-key", "outage-key", "quench.worker.concurrency", 2,
            "logging.level.org.apache.kafka", "ERROR", "spring.main.banner-mode", "off"))) {
      ApiClient api = new ApiClient("http://localhost:" + services.apiPort(), "outage-key");
      List<String> acknowledged = new ArrayList<>();
      String done = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}").at("/task_id");
      acknowledged.add(done);
      await().atMost(30, SECONDS).until(() -> "completed".equals(api.get("/v1/tasks/" + done).at("/status")));
      String running = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":120000}}")
          .at("/task_id");
      acknowledged.add(running);
      await().atMost(30, SECONDS).until(() -> "running".equals(api.get("/v1/tasks/" + running).at("/status")));

      broker.kill();
      await().atMost(15, SECONDS).until(() -> api.withKey(null).get("/actuator/health").status() == 503);

      long started = System.nanoTime();
      Response refused = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.at("/error/code")).isEqualTo("service_unavailable");
      assertThat(refused.json().at("/error/retryable").asBoolean()).isTrue();
      // Refused before it was sent, not after waiting out the append timeout (5 s): it says nothing was recorded.
      assertThat(refused.at("/error/message")).contains("nothing was recorded");
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      Response stale = api.get("/v1/tasks/" + done);
      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.at("/status")).isEqualTo("completed");

      broker = KafkaBroker.start(settings);
      await().atMost(60, SECONDS).until(() -> api.withKey(null).get("/actuator/health").status() == 200);
      await().atMost(60, SECONDS).untilAsserted(() -> {
        Response create = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}");
        assertThat(create.status()).as(create.body()).isEqualTo(202);
      });
      String after = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"after\":true}}").at("/task_id");
      acknowledged.add(after);
      await().atMost(60, SECONDS).until(() -> "completed".equals(api.get("/v1/tasks/" + after).at("/status")));

      // The run that outlived the outage is still the same run, and a cancel still stops it.
      assertThat(api.get("/v1/tasks/" + running).at("/status")).isEqualTo("running");
      assertThat(api.post("/v1/tasks/" + running + "/cancel", null).status()).isEqualTo(202);
      await().atMost(30, SECONDS).until(() -> "cancelled".equals(api.get("/v1/tasks/" + running).at("/status")));
      assertThat(api.get("/v1/tasks/" + running).json().at("/error").isNull()).isTrue();

      String bootstrap = broker.bootstrapServers();
      await().atMost(60, SECONDS).untilAsserted(() -> {
        AuditCommand.Findings findings = AuditCommand.audit(bootstrap, Topics.defaults(), true);
        assertThat(findings.violations()).isEmpty();
        assertThat(findings.statuses().get("completed")).isGreaterThanOrEqualTo(acknowledged.size());
      });
    } finally {
      broker.close();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

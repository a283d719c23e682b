package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.PrometheusText;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default serves the metrics of all three services at the api's endpoint, told apart by a tag. */
class StandaloneMetricsIntegrationTests {

  @TempDir
  Path dataDir;

  @Test
  void theApisPrometheusEndpointServesEveryServiceTaggedByName() {
    String[] args = {"--quench.data-dir=" + dataDir,
        "--quench.broker.port=" + QuenchStandaloneIntegrationTests.freePort(),
        "--quench.broker.controller-port=" + QuenchStandaloneIntegrationTests.freePort(), "--server.port=0",
        "--quench.worker.concurrency=2", "--quench.worker.shutdown-grace=0s", "--logging.level.org.apache.kafka=WARN"};
    try (QuenchStandalone quench = QuenchStandalone.start(args)) {
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), quench.apiKey());
      Response created = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000}}");
      String taskId = created.at("/task_id");
      assertThat(api.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"metrics\"}").status())
          .isIn(200, 202);
      await().atMost(30, SECONDS).until(() -> "cancelled".equals(api.get("/v1/tasks/" + taskId).at("/status")));

      PrometheusText scrape = await().atMost(30, SECONDS).until(() -> scrape(api),
          s -> s.sum("quench_cancel_outcomes_total", Map.of("service", "projector")) == 1.0);

      Set<String> services = scrape.families().values().stream().flatMap(f -> f.samples().stream())
          .map(s -> s.labels().get("service")).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
      assertThat(services).containsExactlyInAnyOrder("api", "worker", "projector");
      assertThat(scrape.samples("quench_worker_queued", Map.of("service", "worker"))).isNotEmpty();
      assertThat(scrape.samples("http_server_requests_seconds_count", Map.of("service", "api"))).isNotEmpty();
      assertThat(scrape.histogram("quench_cancel_outcome_latency_seconds", Map.of("service", "projector",
          "outcome", "cancelled", "was", scrape.samples("quench_cancel_outcomes_total", Map.of()).get(0).labels()
              .get("was"), "forced", "false")).count()).isEqualTo(1.0);
      // One JVM: its meters come once, from the api.
      assertThat(scrape.samples("jvm_threads_live_threads", Map.of())).extracting(s -> s.labels().get("service"))
          .containsExactly("api");
      // Every service's start time, each under its own name.
      assertThat(scrape.samples("application_started_time_seconds", Map.of()))
          .extracting(s -> s.labels().get("service")).containsExactlyInAnyOrder("api", "worker", "projector");
    }
  }

  private static PrometheusText scrape(ApiClient api) {
    Response response = api.withKey(null).get("/actuator/prometheus", "Accept", "text/plain;version=0.0.4");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }
}

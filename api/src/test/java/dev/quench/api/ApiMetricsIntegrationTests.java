package dev.quench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The api's {@code /actuator/prometheus} after a known workload, read with the exposition format's rules: requests by
 * endpoint and status with latency buckets, and how far its replica is behind the view topic.
 */
class ApiMetricsIntegrationTests {

  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String REQUESTS = "http_server_requests_seconds";

  private static ApiFixture fixture;
  private static ApiClient api;
  private static ApiClient actuator;

  @BeforeAll
  static void startApi() {
    fixture = new ApiFixture();
    api = fixture.startApi("metrics", "--quench.metrics.lag-interval=200ms");
    actuator = api.withKey(null);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void countsRequestsByEndpointAndStatusWithLatencyBuckets() {
    int tasks = 4;
    int readsEach = 3;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      Response created = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}");
      assertThat(created.status()).isEqualTo(202);
      ids.add(created.at("/task_id"));
    }
    for (String id : ids) {
      for (int i = 0; i < readsEach; i++) {
        assertThat(api.get("/v1/tasks/" + id).status()).isEqualTo(200);
      }
    }
    assertThat(api.get("/v1/tasks/no-such-task").status()).isEqualTo(404);
    assertThat(api.post("/v1/tasks/" + ids.get(0) + "/cancel", "{}").status()).isEqualTo(202);

    PrometheusText scrape = await().atMost(PATIENCE).until(ApiMetricsIntegrationTests::scrape,
        s -> histogramCount(s, "GET", "/v1/tasks/{task_id}", "200") == tasks * readsEach
            && histogramCount(s, "POST", "/v1/tasks/{task_id}/cancel", "202") == 1);

    assertThat(histogramCount(scrape, "POST", "/v1/tasks", "202")).isEqualTo(tasks);
    assertThat(histogramCount(scrape, "GET", "/v1/tasks/{task_id}", "404")).isEqualTo(1);
    PrometheusText.Histogram reads = scrape.histogram(REQUESTS, labels(scrape, "GET", "/v1/tasks/{task_id}", "200"));
    assertThat(reads.buckets().size()).as("percentiles-histogram buckets").isGreaterThan(10);
    assertThat(reads.sum()).isPositive();
    assertThat(scrape.family(REQUESTS).type()).isEqualTo("histogram");
  }

  @Test
  void reportsTheReplicasLagPerViewPartitionAndIsReadyOnceCaughtUp() {
    Response created = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}");
    String taskId = created.at("/task_id");
    fixture.publishView(ApiFixture.decided(fixture.requests(taskId)), 7);

    PrometheusText scrape = await().atMost(PATIENCE).until(ApiMetricsIntegrationTests::scrape,
        s -> s.samples("quench_api_replica_lag", Map.of()).size() == ApiFixture.PARTITIONS
            && s.samples("quench_api_replica_lag", Map.of()).stream().allMatch(x -> x.value() == 0.0)
            && s.samples("quench_api_replica_view_age_seconds", Map.of()).stream()
                .anyMatch(x -> !Double.isNaN(x.value())));

    assertThat(scrape.family("quench_api_replica_lag").type()).isEqualTo("gauge");
    assertThat(scrape.samples("quench_api_replica_lag", Map.of("service", "api"))).hasSize(ApiFixture.PARTITIONS);
    Response readiness = actuator.get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.at("/status")).isEqualTo("UP");
    Response health = actuator.get("/actuator/health");
    assertThat(health.at("/components/replica/status")).isEqualTo("UP");
  }

  private static double histogramCount(PrometheusText scrape, String method, String uri, String status) {
    return scrape.sum(REQUESTS + "_count", Map.of("method", method, "uri", uri, "status", status, "service", "api"));
  }

  /** The full label set of the one series of these method, uri and status. */
  private static Map<String, String> labels(PrometheusText scrape, String method, String uri, String status) {
    List<PrometheusText.Sample> counts = scrape.samples(REQUESTS + "_count",
        Map.of("method", method, "uri", uri, "status", status));
    assertThat(counts).hasSize(1);
    return counts.get(0).labels();
  }

  private static PrometheusText scrape() {
    Response response = actuator.get("/actuator/prometheus", "Accept", "text/plain;version=0.0.4");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }
}

package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.PrometheusText;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default serves the metrics of all its services at the api's endpoint, told apart by a tag. */
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
      assertThat(services).containsExactlyInAnyOrder("api", "worker", "projector", "callbacks");
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
          .extracting(s -> s.labels().get("service"))
          .containsExactlyInAnyOrder("api", "worker", "projector", "callbacks");
    }
  }

  @Test
  void theDeliverersAttemptsAndPendingCallbacksAreScrapedUnderServiceCallbacks() throws Exception {
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    receiver.createContext("/ok", exchange -> answer(exchange, 204));
    receiver.createContext("/fail", exchange -> answer(exchange, 500));
    receiver.start();
    String[] args = {"--quench.data-dir=" + dataDir,
        "--quench.broker.port=" + QuenchStandaloneIntegrationTests.freePort(),
        "--quench.broker.controller-port=" + QuenchStandaloneIntegrationTests.freePort(), "--server.port=0",
        "--quench.worker.concurrency=2", "--logging.level.org.apache.kafka=WARN",
        "--quench.callback-allow-http=true", "--quench.callback-allowed-networks=127.0.0.0/8",
        // One retry, an hour after the first attempt: a failed callback stays pending for the whole test.
        "--quench.callbacks.schedule=0s,1h"};
    try (QuenchStandalone quench = QuenchStandalone.start(args)) {
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), quench.apiKey());
      String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
      Map<String, String> callbacks = Map.of("service", "callbacks");
      PrometheusText before = scrape(api);
      double deliveredBefore = before.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "delivered"));
      assertThat(before.samples("quench_callbacks_pending", callbacks)).singleElement()
          .satisfies(s -> assertThat(s.value()).isZero());
      assertThat(before.samples("quench_callbacks_failures_total", callbacks)).isNotEmpty();

      int n = 3;
      List<String> delivered = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        delivered.add(api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"i\":" + i + "},"
            + "\"callback\":{\"url\":\"" + base + "/ok\"}}").at("/task_id"));
      }
      for (String taskId : delivered) {
        await().atMost(60, SECONDS).until(() -> "delivered".equals(api.get("/v1/tasks/" + taskId)
            .at("/callback/status")));
      }
      PrometheusText after = await().atMost(30, SECONDS).until(() -> scrape(api),
          s -> s.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "delivered")) >= deliveredBefore + n);
      assertThat(after.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "delivered")))
          .isEqualTo(deliveredBefore + n);
      assertThat(after.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "retry"))).isZero();
      assertThat(after.sum("quench_callbacks_pending", callbacks)).isZero();

      String failing = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{},"
          + "\"callback\":{\"url\":\"" + base + "/fail\"}}").at("/task_id");
      PrometheusText retrying = await().atMost(60, SECONDS).until(() -> scrape(api),
          s -> s.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "retry")) == 1.0
              && s.sum("quench_callbacks_pending", callbacks) == 1.0);
      // Waiting for its retry, an hour away: pending, but not due.
      assertThat(retrying.sum("quench_callbacks_pending_oldest_due_seconds", callbacks)).isZero();
      assertThat(retrying.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "delivered")))
          .isEqualTo(deliveredBefore + n);
      assertThat(retrying.sum("quench_callbacks_attempts_total", with(callbacks, "outcome", "abandoned"))).isZero();
      assertThat(retrying.sum("quench_callbacks_failures_total", callbacks)).isZero();
      await().atMost(10, SECONDS).until(() -> "pending".equals(api.get("/v1/tasks/" + failing)
          .at("/callback/status")) && "1".equals(api.get("/v1/tasks/" + failing).at("/callback/attempt_count")));
    } finally {
      receiver.stop(0);
    }
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> all = new HashMap<>(labels);
    all.put(name, value);
    return all;
  }

  private static PrometheusText scrape(ApiClient api) {
    Response response = api.withKey(null).get("/actuator/prometheus", "Accept", "text/plain;version=0.0.4");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }
}

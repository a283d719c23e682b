package dev.quench.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.EventType;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.PrometheusText;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The worker's /actuator/prometheus, parsed as Prometheus reads it, after a known workload; and its health. */
class WorkerMetricsIntegrationTests {

  private WorkerFixture fixture;
  private ApiClient actuator;

  @BeforeEach
  void start() {
    fixture = new WorkerFixture();
    // Long grace: a handler that ignores its token stays "still working after its cancel" while the test looks.
    ConfigurableApplicationContext worker = fixture.startWorker("metrics", Map.of("concurrency", "4",
        "cancel-grace", "10m", "abandon-after", "10m"), TestHandlers.class);
    actuator = new ApiClient("http://localhost:" + worker.getEnvironment().getProperty("local.server.port"), null);
  }

  @AfterEach
  void stop() {
    TestHandlers.release.countDown();
    TestHandlers.release = new java.util.concurrent.CountDownLatch(1);
    fixture.close();
  }

  private PrometheusText scrape() {
    ApiClient.Response response = actuator.get("/actuator/prometheus");
    assertThat(response.status()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }

  @Test
  void cancelsReachingHandlersAndARunIgnoringItsTokenShowAsTheyHappen() {
    List<String> sleeps = IntStream.range(0, 3).mapToObj(i -> fixture.submit("sleep", "{\"duration_ms\": 60000}")
        .taskId()).toList();
    String deaf = fixture.submit("gated", "{}").taskId();
    List<String> all = new java.util.ArrayList<>(sleeps);
    all.add(deaf);
    all.forEach(t -> await().atMost(30, SECONDS).until(() -> fixture.types(t).contains(EventType.TASK_STARTED)));

    all.forEach(fixture::cancel);

    sleeps.forEach(t -> await().atMost(30, SECONDS).until(() -> fixture.types(t)
        .contains(EventType.TASK_CANCELLED)));
    await().atMost(30, SECONDS).untilAsserted(() -> {
      PrometheusText metrics = scrape();
      // Every handler saw its token, the one that ignores it too (it looks, and goes on).
      assertThat(metrics.histogram("quench_worker_cancel_token_observed_seconds", Map.of("service", "worker"))
          .count()).isEqualTo(3);
      assertThat(metrics.sum("quench_worker_cancel_still_running", Map.of())).isEqualTo(1);
      assertThat(metrics.sum("quench_worker_cancel_still_running_oldest_seconds", Map.of())).isGreaterThan(0);
      assertThat(metrics.sum("quench_worker_running", Map.of())).isEqualTo(1);
      assertThat(metrics.sum("quench_worker_events_total", Map.of("type", "task.cancelled"))).isEqualTo(3);
      assertThat(metrics.sum("quench_worker_session", Map.of())).isEqualTo(1);
      assertThat(metrics.histogram("quench_worker_commits_seconds", Map.of("service", "worker")).count()).isPositive();
    });
    assertThat(actuator.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(actuator.get("/actuator/health/liveness").at("/status")).isEqualTo("UP");
  }

  @Test
  void aPacedBatchShowsInProgressWithItsWaitingTargetsUntilItIsAborted() {
    List<String> targets = IntStream.range(0, 4).mapToObj(i -> fixture.submitTo(0, "echo", "{}").taskId()).toList();
    targets.forEach(t -> await().atMost(30, SECONDS).until(() -> fixture.types(t).contains(EventType.TASK_COMPLETED)));
    // One target every ten seconds: the first goes at once, three wait their time, long past the test's look.
    java.util.UUID batch = fixture.appendBatch(targets, 0.1, null);
    await().atMost(30, SECONDS).until(() -> fixture.types(targets.get(0)).contains(EventType.CANCEL_NOOP));

    await().atMost(30, SECONDS).untilAsserted(() -> {
      PrometheusText metrics = scrape();
      assertThat(metrics.sum("quench_worker_batches_in_progress", Map.of())).isEqualTo(1);
      assertThat(metrics.sum("quench_worker_batches_targets_waiting", Map.of())).isBetween(1.0, 3.0);
    });

    fixture.abortBatch(batch);

    await().atMost(30, SECONDS).untilAsserted(() -> {
      PrometheusText metrics = scrape();
      assertThat(metrics.sum("quench_worker_batches_in_progress", Map.of())).isZero();
      assertThat(metrics.sum("quench_worker_batches_targets_waiting", Map.of())).isZero();
    });
  }
}

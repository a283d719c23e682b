package dev.quench.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.PrometheusText;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The projector's {@code /actuator/prometheus} after a known workload, read with the exposition format's rules: every
 * cancel outcome counted once, by outcome, and timed; nothing counted again when a projector replays the log.
 */
class ProjectorMetricsIntegrationTests {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String OUTCOMES = "quench_cancel_outcomes_total";
  private static final String LATENCY = "quench_cancel_outcome_latency_seconds";

  @Test
  void countsAndTimesEveryCancelOutcomeOnceEvenWhenAProjectorReplaysTheLog() throws Exception {
    String prefix = SharedKafkaBroker.uniquePrefix();
    Topics topics = Topics.withPrefix(prefix);
    try (LogWriter log = new LogWriter(topics.log())) {
      ConfigurableApplicationContext first = Projectors.startServing(prefix, "--quench.metrics.lag-interval=200ms");
      try {
        // 3 queued tasks cancelled; 2 running ones stopped by their token, 1 by force; one finished first; one
        // cancelled twice while running; one cancel of a task never submitted.
        for (int i = 0; i < 3; i++) {
          SimulatedWorker queued = SimulatedWorker.forNewTask();
          log.commit(queued.submit());
          log.commit(queued.cancel("queued " + i));
        }
        for (int i = 0; i < 3; i++) {
          SimulatedWorker running = SimulatedWorker.forNewTask();
          log.commit(running.submit());
          log.commit(running.start());
          log.commit(running.cancel("running " + i));
          log.commit(running.finish(new Outcome.Cancelled(i == 2)));
        }
        SimulatedWorker done = SimulatedWorker.forNewTask();
        log.commit(done.submit());
        log.commit(done.start());
        log.commit(done.finish(new Outcome.Completed(null, null)));
        log.commit(done.cancel("too late"));
        SimulatedWorker twice = SimulatedWorker.forNewTask();
        log.commit(twice.submit());
        log.commit(twice.start());
        log.commit(twice.cancel("first"));
        log.commit(twice.cancel("second"));
        log.commit(twice.finish(new Outcome.Cancelled(false)));
        SimulatedWorker unknown = SimulatedWorker.forNewTask();
        log.commit(unknown.cancel("no such task"));
        // A later event on the unknown task's partition: a replay then knows that cancel was folded before.
        SimulatedWorker after = new SimulatedWorker(taskIdOnPartitionOf(unknown.taskId()));
        log.commit(after.submit());
        log.commitRaw("not-json", "{oops".getBytes(StandardCharsets.UTF_8));

        String group = Projectors.defaultGroup(prefix);
        await().atMost(PATIENCE).until(() -> log.consumedBy(group));
        PrometheusText scrape = await().atMost(PATIENCE).until(() -> scrape(first),
            s -> s.sum("quench_kafka_consumer_lag", Map.of("group", group)) == 0
                && s.samples("quench_kafka_consumer_lag", Map.of("group", group)).size() == Projectors.PARTITIONS);

        assertThat(count(scrape, "cancelled", "queued", "false")).isEqualTo(3.0);
        assertThat(count(scrape, "cancelled", "running", "false")).isEqualTo(3.0);
        assertThat(count(scrape, "cancelled", "running", "true")).isEqualTo(1.0);
        assertThat(count(scrape, "already_terminal", "none", "false")).isEqualTo(1.0);
        assertThat(count(scrape, "already_cancelling", "none", "false")).isEqualTo(1.0);
        assertThat(count(scrape, "unknown_task", "none", "false")).isEqualTo(1.0);
        assertThat(scrape.sum(OUTCOMES, Map.of())).isEqualTo(10.0);
        // Every outcome but unknown_task has a request time: the histogram's count is the counter's.
        for (String[] tags : List.of(new String[] {"cancelled", "queued", "false"},
            new String[] {"cancelled", "running", "false"}, new String[] {"cancelled", "running", "true"},
            new String[] {"already_terminal", "none", "false"}, new String[] {"already_cancelling", "none", "false"})) {
          PrometheusText.Histogram latency = scrape.histogram(LATENCY, Map.of("outcome", tags[0], "was", tags[1],
              "forced", tags[2], "service", "projector"));
          assertThat(latency.count()).as(String.join("/", tags)).isEqualTo(count(scrape, tags[0], tags[1], tags[2]));
          assertThat(latency.buckets()).containsKey(0.05).containsKey(0.1);
          // The simulated clocks tick a millisecond per event: every outcome came within 5 ms of its request.
          assertThat(latency.buckets().get(0.005)).isEqualTo(latency.count());
        }
        assertThat(scrape.samples(LATENCY + "_count", Map.of("outcome", "unknown_task"))).isEmpty();
        assertThat(scrape.sum("quench_projector_dead_letters_total", Map.of("service", "projector"))).isEqualTo(1.0);
        assertThat(scrape.family(OUTCOMES).type()).isEqualTo("counter");
        assertThat(scrape.family(LATENCY).type()).isEqualTo("histogram");
        assertThat(scrape.family("quench_kafka_consumer_lag").type()).isEqualTo("gauge");
      } finally {
        first.close();
      }

      // A projector of another group reads the whole log again, over the views the first one wrote: a replay.
      String otherGroup = "replay-" + UUID.randomUUID();
      ConfigurableApplicationContext replaying = Projectors.startServing(prefix,
          "--quench.projector.group-id=" + otherGroup, "--quench.projector.id=replaying");
      try {
        await().atMost(PATIENCE).until(() -> log.consumedBy(otherGroup));
        assertThat(scrape(replaying).sum(OUTCOMES, Map.of())).isZero();

        SimulatedWorker late = SimulatedWorker.forNewTask();
        log.commit(late.submit());
        log.commit(late.cancel("after the replay"));
        await().atMost(PATIENCE).until(() -> log.consumedBy(otherGroup));
        await().atMost(PATIENCE).until(() -> scrape(replaying).sum(OUTCOMES, Map.of()) == 1.0);
        assertThat(count(scrape(replaying), "cancelled", "queued", "false")).isEqualTo(1.0);
      } finally {
        replaying.close();
      }
    }
  }

  @Test
  void healthIsDownWhileTheProjectionKeepsFailingAndUpWhileItProjects() {
    String prefix = SharedKafkaBroker.uniquePrefix();
    ConfigurableApplicationContext healthy = Projectors.startServing(prefix);
    try {
      ApiClient http = client(healthy);
      await().atMost(PATIENCE).until(() -> http.get("/actuator/health/liveness").status() == 200);
      ApiClient.Response health = http.get("/actuator/health");
      assertThat(health.at("/components/projection/status")).isEqualTo("UP");
      assertThat(http.get("/actuator/health/readiness").at("/status")).isEqualTo("UP");
    } finally {
      healthy.close();
    }

    // Every run fails at once: its producer cannot be made. The loop retries forever, alive but stuck.
    ConfigurableApplicationContext failing = Projectors.startServing(prefix,
        "--spring.kafka.producer.properties.compression.type=no-such-codec", "--quench.projector.restart-backoff=50ms");
    try {
      ApiClient http = client(failing);
      ApiClient.Response liveness = await().atMost(PATIENCE).until(() -> http.get("/actuator/health/liveness"),
          r -> r.status() == 503);
      assertThat(liveness.at("/status")).isEqualTo("DOWN");
      ApiClient.Response health = http.get("/actuator/health");
      assertThat(health.at("/components/projection/status")).isEqualTo("DOWN");
      assertThat(health.at("/components/projection/details/error")).contains("compression");
      PrometheusText scrape = scrape(failing);
      assertThat(scrape.sum("quench_projector_failures_total", Map.of())).isGreaterThanOrEqualTo(1.0);
    } finally {
      failing.close();
    }
  }

  private static double count(PrometheusText scrape, String outcome, String was, String forced) {
    return scrape.sum(OUTCOMES, Map.of("outcome", outcome, "was", was, "forced", forced, "service", "projector"));
  }

  private static ApiClient client(ConfigurableApplicationContext projector) {
    return new ApiClient("http://localhost:" + projector.getEnvironment().getProperty("local.server.port"), null);
  }

  static PrometheusText scrape(ConfigurableApplicationContext projector) {
    ApiClient.Response response = client(projector).get("/actuator/prometheus", "Accept",
        "text/plain;version=0.0.4");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return PrometheusText.parse(response.body());
  }

  /** A new task id whose records land in the same log partition as {@code taskId}'s (Kafka's key hash). */
  private static String taskIdOnPartitionOf(String taskId) {
    int partition = partitionOf(taskId);
    while (true) {
      String candidate = "task-" + UUID.randomUUID();
      if (partitionOf(candidate) == partition) {
        return candidate;
      }
    }
  }

  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Projectors.PARTITIONS;
  }
}

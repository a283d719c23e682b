package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Envelope;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.LogReader;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.Topics;
import java.util.List;
import java.util.Map;

/**
 * api, worker and projector on the shared test broker, one set for the whole test JVM: the end-to-end tests write
 * to the same topics, and the last test audits everything they wrote.
 */
final class Pipeline {

  static final String API_KEY = "e2e-key";
  static final int CONCURRENCY = 2;

  private static Pipeline shared;

  final String bootstrap = SharedKafkaBroker.bootstrapServers();
  final Topics topics = Topics.withPrefix(SharedKafkaBroker.uniquePrefix());
  final LogReader reader = new LogReader(bootstrap);
  final Services services;
  final ApiClient api;

  private Pipeline() {
    services = new Services(
        // Forced: the api's own defaults (server.port=8080) outrank default properties.
        Map.of("spring.kafka.bootstrap-servers", bootstrap, "server.port", 0),
        Map.of(
        "quench.topics.prefix", topics.prefix(),
        "quench.topics.partitions", 3,
        "quench.api.demo-key", API_KEY,
        "quench.worker.concurrency", CONCURRENCY,
        "quench.worker.shutdown-grace", "0s",
        "spring.main.banner-mode", "off",
        "logging.level.org.apache.kafka", "WARN"));
    api = new ApiClient("http://localhost:" + services.apiPort(), API_KEY);
    SharedKafkaBroker.closeBeforeBroker(services);
  }

  static synchronized Pipeline shared() {
    if (shared == null) {
      shared = new Pipeline();
    }
    return shared;
  }

  String submit(String capability, String inputJson) {
    ApiClient.Response created = api.post("/v1/tasks", "{\"capability\":\"" + capability + "\",\"input\":"
        + inputJson + "}");
    if (created.status() != 202) {
      throw new AssertionError("submit answered " + created.status() + ": " + created.body());
    }
    return created.at("/task_id");
  }

  ApiClient.Response get(String taskId) {
    return api.get("/v1/tasks/" + taskId);
  }

  /** Waits until the api shows the task in {@code status}, and returns that answer. */
  ApiClient.Response awaitStatus(String taskId, String status) {
    await().atMost(20, SECONDS).pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> status.equals(get(taskId).at("/status")));
    return get(taskId);
  }

  List<Envelope> history(String taskId) {
    return reader.history(topics.log(), taskId);
  }
}

package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.quench.events.testing.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded default's callbacks as a receiver gets them: the task in a callback is the task the api serves, and
 * no service ever logs a signing secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class StandaloneCallbacksIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** The demo tenant's secret, as QUENCH_CALLBACK_SECRET would give it. */
  private static final String DEMO_SECRET = "whsec_ZGVtby1zZWNyZXQtdGhhdC1tdXN0LW5ldmVyLWJlLWxvZ2dlZA==";
  /** Another tenant's, as quench.callbacks.secrets[n].signing-secret. */
  private static final String PARTNER_SECRET = "whsec_cGFydG5lci1zZWNyZXQtbmV2ZXItaW4tYW55LWxvZy1saW5l";

  @TempDir
  Path dataDir;

  /** Callbacks received, by task id, as parsed JSON. */
  private final Map<String, JsonNode> received = new ConcurrentHashMap<>();
  private HttpServer receiver;

  @BeforeEach
  void startTheReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    receiver.createContext("/hook", exchange -> {
      JsonNode body = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      received.put(body.at("/data/task_id").asString(), body);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.createContext("/fail", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopTheReceiver() {
    receiver.stop(0);
  }

  private String[] args(String... more) {
    return Stream.concat(Stream.of("--quench.data-dir=" + dataDir,
        "--quench.broker.port=" + QuenchStandaloneIntegrationTests.freePort(),
        "--quench.broker.controller-port=" + QuenchStandaloneIntegrationTests.freePort(), "--server.port=0",
        "--quench.worker.concurrency=2", "--quench.worker.shutdown-grace=0s", "--logging.level.org.apache.kafka=WARN",
        "--quench.callback-allow-http=true", "--quench.callback-allowed-networks=127.0.0.0/8"),
        Arrays.stream(more)).toArray(String[]::new);
  }

  private String hook(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  @Test
  void theTaskInACallbackIsTheTaskTheApiServesFieldByField() {
    try (QuenchStandalone quench = QuenchStandalone.start(args())) {
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), quench.apiKey());
      String completed = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"say\":\"hi\"},"
          + "\"metadata\":{\"team\":\"drift\"},\"callback\":{\"url\":\"" + hook("/hook") + "\"}}").at("/task_id");
      String cancelled = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000},"
          + "\"callback\":{\"url\":\"" + hook("/hook") + "\"}}").at("/task_id");
      await().atMost(30, SECONDS).until(() -> "running".equals(api.get("/v1/tasks/" + cancelled).at("/status")));
      assertThat(api.post("/v1/tasks/" + cancelled + "/cancel", "{\"reason\":\"drift check\"}").status())
          .isBetween(200, 202);

      for (String taskId : List.of(completed, cancelled)) {
        await().atMost(60, SECONDS).until(() -> received.containsKey(taskId)
            && "delivered".equals(api.get("/v1/tasks/" + taskId).at("/callback/status")));
        JsonNode served = JSON.readTree(api.get("/v1/tasks/" + taskId).body());
        JsonNode sent = received.get(taskId).get("data");
        assertThat(sent.at("/callback/status").asString()).isEqualTo("pending");
        Set<String> apiFields = new TreeSet<>(served.propertyNames());
        for (String field : apiFields) {
          if (!field.equals("callback")) {
            assertThat(sent.get(field)).as("%s of %s", field, taskId).isEqualTo(served.get(field));
          }
        }
        // The callback's own extra, documented in the README: who cancelled, why, and what was refunded.
        Set<String> extra = new TreeSet<>(sent.propertyNames());
        extra.removeAll(apiFields);
        assertThat(extra).as("fields of %s the api does not serve", taskId)
            .isEqualTo(taskId.equals(cancelled) ? Set.of("cancellation") : Set.of());
      }
      assertThat(received.get(completed).at("/data/status").asString()).isEqualTo("completed");
      assertThat(received.get(cancelled).at("/data/status").asString()).isEqualTo("cancelled");
    }
  }

  @Test
  void noServiceLogsACallbackSigningSecret(CapturedOutput output) {
    String[] args = args("--quench.callback-secret=" + DEMO_SECRET,
        "--quench.callbacks.secrets[0].tenant=partner", "--quench.callbacks.secrets[0].signing-secret=" + PARTNER_SECRET,
        "--quench.callbacks.schedule=0s,200ms", "--logging.level.dev.quench=DEBUG");
    try (QuenchStandalone quench = QuenchStandalone.start(args)) {
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), quench.apiKey());
      List<String> tasks = new ArrayList<>();
      tasks.add(api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{},"
          + "\"callback\":{\"url\":\"" + hook("/hook") + "\"}}").at("/task_id"));
      // Retried, then given up: the deliverer's error paths.
      tasks.add(api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{},"
          + "\"callback\":{\"url\":\"" + hook("/fail") + "\"}}").at("/task_id"));
      await().atMost(60, SECONDS).until(() -> tasks.stream().noneMatch(id -> "pending".equals(
          api.get("/v1/tasks/" + id).at("/callback/status"))));
      assertThat(api.get("/v1/tasks/" + tasks.get(1)).at("/callback/status")).isEqualTo("failed");
    }
    // The embedded default's banner shows the demo secret on purpose (main prints it); start() prints no banner, so
    // everything captured is what the services logged, from their start to their stop.
    assertThat(output.getAll()).contains("callbacks callbacks-1 started");
    for (String secret : List.of(DEMO_SECRET, PARTNER_SECRET, DEMO_SECRET.substring(6), PARTNER_SECRET.substring(6))) {
      assertThat(output.getAll()).as("the logs must not contain %s", secret).doesNotContain(secret);
    }
  }
}

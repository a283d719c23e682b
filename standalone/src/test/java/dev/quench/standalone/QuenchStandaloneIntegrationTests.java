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

  @Test
  void aTaskThatAsksForACallbackIsPostedSignedWithTheDemoSecretKeptInTheDataDir() throws Exception {
    java.util.concurrent.BlockingQueue<com.sun.net.httpserver.HttpExchange> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
    receiver.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      received.add(exchange);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(args(freePort(), freePort())),
        java.util.stream.Stream.of("--quench.callback-allow-http=true",
            "--quench.callback-allowed-networks=127.0.0.0/8")).toArray(String[]::new);
    try (QuenchStandalone quench = QuenchStandalone.start(args)) {
      String secret = Files.readString(dataDir.resolve(QuenchStandalone.CALLBACK_SECRET_FILE)).trim();
      assertThat(secret).startsWith("whsec_");
      assertThat(quench.banner(0)).contains(secret, "generated, kept in", "127.0.0.0/8");
      ApiClient api = new ApiClient("http://localhost:" + quench.apiPort(), quench.apiKey());
      assertThat(api.post("/v1/tasks", "{\"capability\":\"sleep\",\"callback\":{\"url\":\"https://10.0.0.1/\"}}")
          .at("/error/field")).isEqualTo("callback.url");
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      Response created = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000},"
          + "\"callback\":{\"url\":\"" + url + "\"}}");
      assertThat(created.status()).isEqualTo(202);
      String taskId = created.at("/task_id");
      assertThat(api.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"not needed\"}").status())
          .isBetween(200, 202);

      com.sun.net.httpserver.HttpExchange got = received.poll(30, SECONDS);
      assertThat(got).isNotNull();
      String id = got.getRequestHeaders().getFirst("webhook-id");
      String timestamp = got.getRequestHeaders().getFirst("webhook-timestamp");
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring(6)),
          "HmacSHA256"));
      String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(
          (id + "." + timestamp + "." + bodies.get(0)).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(got.getRequestHeaders().getFirst("webhook-signature")).isEqualTo(expected);
      assertThat(bodies.get(0)).contains("\"type\":\"task.cancelled\"", "\"reason\":\"not needed\"");
      await().atMost(10, SECONDS).until(() -> "delivered".equals(api.get("/v1/tasks/" + taskId)
          .at("/callback/status")));
    } finally {
      receiver.stop(0);
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

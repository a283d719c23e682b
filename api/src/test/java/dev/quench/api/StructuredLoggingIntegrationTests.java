package dev.quench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.auth.ApiKeys;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.SharedKafkaBroker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api in JSON log mode, with real keys and a callback secret configured: every line is a JSON object, every line
 * logged while handling a request carries its request id (and tenant and task where known), and no secret appears
 * anywhere in the output, not even when a client puts one in a URL.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PARTNER_KEY = "qk_partner_4f1d9a7c2b8e6f30";
  private static final String CALLBACK_SECRET = "whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ=";
  private static final String PARTNER_CALLBACK_SECRET = "whsec_cGFydG5lcnMtc2VjcmV0LW5ldmVyLWxvZ2dlZC1laXRoZXI=";

  @BeforeAll
  static void startTheBrokerBeforeTheCapture() {
    // Its own start logs in its own plain format, before the api sets up the JVM's logging.
    SharedKafkaBroker.bootstrapServers();
  }

  @Test
  void logsJsonLinesWithTheRequestsContextAndNoSecret(CapturedOutput output) throws Exception {
    List<String> requestIds = new ArrayList<>();
    String taskId;
    try (ApiFixture fixture = new ApiFixture()) {
      ApiClient demo = fixture.startApi("json-logs",
          "--logging.structured.format.console=ecs",
          "--quench.api.access-log=true",
          "--quench.api.keys[2].id=partner",
          "--quench.api.keys[2].sha256=" + ApiKeys.sha256(PARTNER_KEY),
          "--quench.api.keys[2].tenant=partner",
          // Under the names the services read them by: the demo tenant's, and another tenant's.
          "--quench.callbacks.demo-secret=" + CALLBACK_SECRET,
          "--quench.callbacks.secrets[0].tenant=partner",
          "--quench.callbacks.secrets[0].signing-secret=" + PARTNER_CALLBACK_SECRET);
      ApiClient partner = demo.withKey(PARTNER_KEY);

      Response created = partner.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}",
          "Idempotency-Key", "create-1", "X-Request-Id", "req-create-1");
      assertThat(created.status()).isEqualTo(202);
      taskId = created.at("/task_id");
      requestIds.add("req-create-1");
      assertThat(partner.get("/v1/tasks/" + taskId, "X-Request-Id", "req-read-1").status()).isEqualTo(200);
      requestIds.add("req-read-1");
      assertThat(partner.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"log test\"}",
          "X-Request-Id", "req-cancel-1").status()).isEqualTo(202);
      requestIds.add("req-cancel-1");
      assertThat(demo.get("/v1/tasks?limit=5", "X-Request-Id", "req-list-1").status()).isEqualTo(200);
      // A client that pastes its key, or a secret, where an id goes: the path is logged, the secret never.
      assertThat(partner.get("/v1/tasks/" + PARTNER_KEY, "X-Request-Id", "req-key-in-path").status())
          .isEqualTo(404);
      assertThat(partner.get("/v1/tasks/" + CALLBACK_SECRET.replace("=", "%3D"), "X-Request-Id",
          "req-secret-in-path").status()).isEqualTo(404);
      assertThat(partner.withKey(PARTNER_KEY + "x").get("/v1/tasks", "X-Request-Id", "req-bad-key").status())
          .isEqualTo(401);
    }

    // From the moment the api set up its logging until it stopped, every line is one JSON object.
    List<String> out = List.of(output.getOut().split("\n"));
    int first = out.indexOf(out.stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    int last = out.lastIndexOf(out.stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.subList(first, last + 1)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode parsed = JSON.readTree(line);
      assertThat(parsed.isObject()).as("a JSON object: %s", line).isTrue();
      lines.add(parsed);
    }
    for (String secret : List.of(ApiFixture.DEMO_KEY, ApiFixture.OTHER_TENANT_KEY, PARTNER_KEY, PARTNER_KEY + "x",
        CALLBACK_SECRET, PARTNER_CALLBACK_SECRET, "Bearer ")) {
      assertThat(output.getAll()).as("the output must not contain %s", secret).doesNotContain(secret);
    }
    for (String requestId : requestIds) {
      List<JsonNode> ofRequest = lines.stream().filter(l -> requestId.equals(l.path("request_id").asString()))
          .toList();
      assertThat(ofRequest).as("lines of %s", requestId).isNotEmpty();
      ofRequest.forEach(l -> assertThat(l.path("tenant").asString()).isEqualTo("partner"));
      ofRequest.forEach(l -> assertThat(l.path("api_key_id").asString()).isEqualTo("partner"));
      ofRequest.forEach(l -> assertThat(l.path("task_id").asString()).isEqualTo(taskId));
    }
    JsonNode keyInPath = lines.stream().filter(l -> "req-key-in-path".equals(l.path("request_id").asString()))
        .findFirst().orElseThrow();
    assertThat(keyInPath.path("message").asString()).contains("/v1/tasks/[redacted]", "404");
    JsonNode secretInPath = lines.stream()
        .filter(l -> "req-secret-in-path".equals(l.path("request_id").asString())).findFirst().orElseThrow();
    assertThat(secretInPath.path("message").asString()).contains("/v1/tasks/[redacted]");
    assertThat(lines.stream().filter(l -> "req-bad-key".equals(l.path("request_id").asString()))).isNotEmpty();
  }
}

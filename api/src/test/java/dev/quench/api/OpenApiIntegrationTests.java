package dev.quench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The live OpenAPI description ({@code /v3/api-docs}) of a running api, checked by tools none of us wrote. */
class OpenApiIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;
  private static JsonNode spec;
  private static Path specFile;

  @BeforeAll
  static void start() throws IOException {
    fixture = new ApiFixture();
    // No worker answers here: a Scout cancel would wait its whole bound for an outcome that does not come.
    api = fixture.startApi("api-openapi", "--quench.api.scout-cancel-wait=100ms");
    Response served = api.withKey(null).get("/v3/api-docs");
    assertThat(served.status()).isEqualTo(200);
    spec = served.json();
    specFile = Path.of("target/openapi/openapi.json").toAbsolutePath();
    Files.createDirectories(specFile.getParent());
    // Pretty, so that what the validators report is found by line.
    Files.writeString(specFile, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
        .writeValueAsString(spec));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void theLiveDescriptionPassesSwaggerParserAndRedoclyLintWithoutAProblem() {
    NodeTool.Run check = NodeTool.node("check-openapi.mjs", specFile.toString());

    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  /**
   * Nothing generated: every field of both reference docs, from their response examples as published and from the
   * contract schemas written from their field lists, is in the description under the same name, at the same place,
   * with the same JSON types; and the documented cancel operations take what the docs say they take.
   */
  @Test
  void everyFieldOfBothReferenceDocsIsInTheDescriptionUnderItsNameAndType() {
    SpecSchemas schemas = new SpecSchemas(spec);
    JsonNode beatra = response("/v1/tasks/{task_id}/cancel", "200");
    JsonNode scout = response("/scout/v1/tasks/{task_id}/cancel", "200");
    List<String> missing = new ArrayList<>();

    compareExample("beatra", read("/contracts/beatra-cancel-example.json"), beatra, schemas, missing);
    compareExample("scout", read("/contracts/scout-cancel-example.json"), scout, schemas, missing);
    JsonNode beatraContract = read("/contracts/beatra-task.schema.json");
    compareSchema("beatra", new SpecSchemas(beatraContract), beatraContract, beatra, schemas, missing);
    JsonNode scoutContract = read("/contracts/scout-task.schema.json");
    compareSchema("scout", new SpecSchemas(scoutContract), scoutContract, scout, schemas, missing);

    assertThat(missing).isEmpty();
  }

  @Test
  void theScoutDocsExampleIsATaskRunByTheDescription() {
    assertThat(Contracts.violations(spec, "/components/schemas/ScoutTaskRun",
        read("/contracts/scout-cancel-example.json"))).isEmpty();
  }

  /**
   * What Swagger UI's "Try it out" prefills is each request body's first example: sent as it is, each creates or
   * cancels a task (a cancel going to the task its base path's create example made), and the answer is what the
   * description says it is. Every documented example is sent, so a new endpoint's is checked too.
   */
  @Test
  void everyPrefilledExampleBodySentAsItIsDoesWhatItSays() {
    Map<String, String> taskOfBasePath = new HashMap<>();
    List<String> paths = new ArrayList<>(spec.get("paths").propertyNames());
    // Creates first: what the others act on.
    paths.sort(Comparator.comparing((String path) -> path.contains("{")).thenComparing(Comparator.naturalOrder()));
    int sent = 0;
    for (String path : paths) {
      for (Map.Entry<String, JsonNode> operation : spec.get("paths").get(path).properties()) {
        JsonNode media = operation.getValue().at("/requestBody/content/application~1json");
        if (media.isMissingNode()) {
          continue;
        }
        List<JsonNode> examples = new ArrayList<>();
        media.path("examples").forEach(example -> examples.add(example.get("value")));
        if (media.has("example")) {
          examples.add(media.get("example"));
        }
        assertThat(examples).as("an example body for " + operation.getKey() + " " + path).isNotEmpty();
        String base = path.substring(0, path.indexOf("/tasks") + "/tasks".length());
        for (JsonNode example : examples) {
          String target = path.replace("{task_id}", taskOfBasePath.getOrDefault(base, "none"));
          Response answer = api.send(operation.getKey().toUpperCase(Locale.ROOT), target, example.toString(),
              "Content-Type", "application/json");
          sent++;
          String status = String.valueOf(answer.status());
          assertThat(answer.status()).as(operation.getKey() + " " + target + " " + example + "\n" + answer.body())
              .isBetween(200, 299);
          JsonNode described = operation.getValue().at("/responses/" + status + "/content/application~1json/schema");
          assertThat(Contracts.violations(spec, pointerOf(described), answer.json())).as(answer.body()).isEmpty();
          if (!path.contains("{") && answer.json().has("task_id")) {
            taskOfBasePath.put(base, answer.at("/task_id"));
          }
        }
      }
    }
    assertThat(sent).isGreaterThanOrEqualTo(4);
    String task = taskOfBasePath.get("/v1/tasks");
    assertThat(api.get("/v1/tasks/" + task).at("/cancel_requested_at")).as("the example cancel reached the task")
        .isNotNull();
  }

  @Test
  void theDocumentedCancelOperationsTakeWhatTheDocsSay() {
    SpecSchemas schemas = new SpecSchemas(spec);
    JsonNode beatra = spec.at("/paths/~1v1~1tasks~1{task_id}~1cancel/post");
    JsonNode taskId = parameter(beatra, "path", "task_id");
    assertThat(taskId.get("required").asBoolean()).isTrue();
    assertThat(schemas.types(taskId.get("schema"))).containsExactly("string");
    for (String header : List.of("X-Request-Id", "Idempotency-Key")) {
      assertThat(schemas.types(parameter(beatra, "header", header).get("schema"))).containsExactly("string");
    }
    assertThat(beatra.at("/security/0").has("bearer") || spec.at("/security/0").has("bearer")).isTrue();
    assertThat(spec.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
    JsonNode body = beatra.at("/requestBody/content/application~1json/schema");
    assertThat(schemas.types(schemas.property(body, "reason"))).contains("string");
    assertThat(beatra.at("/requestBody/required").asBoolean(false)).as("the body is optional").isFalse();
    assertThat(beatra.get("summary").asString()).isEqualTo("Cancel a task (best-effort)");
    assertThat(beatra.at("/responses/200/description").asString())
        .isEqualTo("Already terminal; returns final state (idempotent)");

    JsonNode scout = spec.at("/paths/~1scout~1v1~1tasks~1{task_id}~1cancel/post");
    assertThat(schemas.types(parameter(scout, "path", "task_id").get("schema"))).containsExactly("string");
    assertThat(scout.get("summary").asString()).isEqualTo("Task Cancel");
    assertThat(scout.at("/responses/200/description").asString()).isEqualTo("Successful Response");
    JsonNode invalid = scout.at("/responses/422/content/application~1json/schema");
    assertThat(schemas.property(invalid, "detail")).isNotNull();
    assertThat(schemas.types(schemas.property(schemas.items(schemas.property(invalid, "detail")), "loc")))
        .containsExactly("array");
  }

  @Test
  void springsErrorPathIsNoEndpointOfTheDescription() {
    assertThat(spec.get("paths").propertyNames()).noneMatch(path -> path.startsWith("/error"));
    assertThat(spec.get("paths").propertyNames()).containsExactlyInAnyOrder("/v1/tasks", "/v1/tasks/{task_id}",
        "/v1/tasks/{task_id}/cancel", "/v1/tasks/{task_id}/cancellations", "/v1/tasks/{task_id}/events",
        "/v1/events", "/scout/v1/tasks",
        "/scout/v1/tasks/{task_id}", "/scout/v1/tasks/{task_id}/events", "/scout/v1/tasks/{task_id}/cancel",
        "/v1/cancellation_batches", "/v1/cancellation_batches/{batch_id}", "/v1/cancellation_batches/{batch_id}/tasks",
        "/v1/cancellation_batches/{batch_id}/abort");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static String pointerOf(JsonNode schema) {
    assertThat(schema.has("$ref")).as("a response schema is a component: " + schema).isTrue();
    return schema.get("$ref").asString().substring(1);
  }

  private static JsonNode response(String path, String status) {
    return spec.at("/paths/" + path.replace("/", "~1") + "/post/responses/" + status
        + "/content/application~1json/schema");
  }

  private static JsonNode parameter(JsonNode operation, String in, String name) {
    SpecSchemas schemas = new SpecSchemas(spec);
    for (JsonNode parameter : operation.path("parameters")) {
      JsonNode resolved = schemas.resolve(parameter);
      if (resolved.path("in").asString().equals(in) && resolved.path("name").asString().equals(name)) {
        return resolved;
      }
    }
    throw new AssertionError("no " + in + " parameter " + name + " in " + operation);
  }

  /** Each member of the documented example is a property of the same place in the spec, allowing its JSON type. */
  private static void compareExample(String where, JsonNode example, JsonNode schema, SpecSchemas schemas,
                                     List<String> missing) {
    if (example.isObject()) {
      for (Map.Entry<String, JsonNode> member : example.properties()) {
        String path = where + "." + member.getKey();
        JsonNode property = schemas.property(schema, member.getKey());
        if (property == null) {
          missing.add(path + ": not in the description");
          continue;
        }
        Set<String> types = schemas.types(property);
        String type = jsonType(member.getValue());
        if (!types.contains("any") && !types.contains(type)
            && !(type.equals("integer") && types.contains("number"))) {
          missing.add(path + ": documented " + type + ", described " + types);
        }
        compareExample(path, member.getValue(), property, schemas, missing);
      }
    } else if (example.isArray() && !example.isEmpty()) {
      JsonNode items = schemas.items(schema);
      if (items == null) {
        missing.add(where + ": no items described");
      } else {
        compareExample(where + "[]", example.get(0), items, schemas, missing);
      }
    }
  }

  /** Each property of the contract schema is one of the spec's at the same place, with the same JSON types. */
  private static void compareSchema(String where, SpecSchemas contract, JsonNode documented, JsonNode described,
                                    SpecSchemas schemas, List<String> missing) {
    for (JsonNode alternative : contract.alternatives(documented)) {
      for (Map.Entry<String, JsonNode> member : alternative.path("properties").properties()) {
        String path = where + "." + member.getKey();
        JsonNode property = schemas.property(described, member.getKey());
        if (property == null) {
          missing.add(path + ": not in the description");
          continue;
        }
        Set<String> expected = contract.types(member.getValue());
        Set<String> actual = schemas.types(property);
        if (!expected.contains("any") && !expected.equals(actual)) {
          missing.add(path + ": documented " + expected + ", described " + actual);
        }
        compareSchema(path, contract, member.getValue(), property, schemas, missing);
      }
      JsonNode items = alternative.get("items");
      if (items != null) {
        JsonNode describedItems = schemas.items(described);
        if (describedItems == null) {
          missing.add(where + "[]: no items described");
        } else {
          compareSchema(where + "[]", contract, items, describedItems, schemas, missing);
        }
      }
    }
  }

  private static String jsonType(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    return value.isNumber() ? "number" : value.isBoolean() ? "boolean" : value.isString() ? "string"
        : value.isArray() ? "array" : "object";
  }

  private static JsonNode read(String resource) {
    return JsonMapper.shared().readTree(WorkerAnnouncements.resource(resource));
  }
}

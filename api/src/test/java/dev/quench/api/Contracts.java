package dev.quench.api;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas in {@code src/test/resources/contracts}, written from the two reference docs, and the schemas of
 * the api's own OpenAPI description, to check documents against.
 */
final class Contracts {

  static final String BEATRA_TASK = "https://quench.dev/contracts/beatra-task.schema.json";
  static final String SCOUT_TASK = "https://quench.dev/contracts/scout-task.schema.json";
  static final String SCOUT_VALIDATION_ERROR = "https://quench.dev/contracts/scout-validation-error.schema.json";
  static final String ERROR = "https://quench.dev/contracts/error.schema.json";

  private static final List<String> FILES = List.of("beatra-task", "scout-task", "scout-validation-error", "error");
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemas(load()));

  private Contracts() {
  }

  private static final String SPEC_ID = "https://quench.dev/test/openapi.json";
  private static final Map<String, SchemaRegistry> SPECS = new ConcurrentHashMap<>();

  /**
   * The violations, in {@code document}, of the schema at {@code pointer} (e.g. {@code /components/schemas/Task}) of
   * an OpenAPI 3.1 description, whose schemas are JSON Schema 2020-12: empty when it conforms.
   */
  static List<String> violations(JsonNode spec, String pointer, JsonNode document) {
    String text = spec.toString();
    SchemaRegistry registry = SPECS.computeIfAbsent(text, t -> SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(Map.of(SPEC_ID, t))));
    return registry.getSchema(SchemaLocation.of(SPEC_ID + "#" + pointer)).validate(document).stream()
        .map(Error::toString).toList();
  }

  /** The violations of {@code schema} in {@code document}: empty when it conforms. */
  static List<String> violations(String schema, JsonNode document) {
    Schema compiled = REGISTRY.getSchema(SchemaLocation.of(schema));
    return compiled.validate(document).stream().map(Error::toString).toList();
  }

  private static Map<String, String> load() {
    Map<String, String> byId = new HashMap<>();
    JsonMapper json = JsonMapper.builder().build();
    for (String file : FILES) {
      try (InputStream in = Contracts.class.getResourceAsStream("/contracts/" + file + ".schema.json")) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        byId.put(json.readTree(text).get("$id").asString(), text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return byId;
  }
}

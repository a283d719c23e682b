package dev.quench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Reads schemas of an OpenAPI 3.1 description the way a client generator would: through {@code $ref}s and
 * {@code anyOf}s, a property's JSON types and what its members and items are.
 */
final class SpecSchemas {

  private final JsonNode spec;

  SpecSchemas(JsonNode spec) {
    this.spec = spec;
  }

  /** The component schema of this name. */
  JsonNode component(String name) {
    return spec.at("/components/schemas/" + name);
  }

  /** The JSON types a schema allows, {@code any} when it allows every value. */
  Set<String> types(JsonNode schema) {
    Set<String> types = new TreeSet<>();
    for (JsonNode alternative : alternatives(schema)) {
      JsonNode type = alternative.get("type");
      if (type == null) {
        if (alternative.has("enum") || alternative.has("const")) {
          types.add("string");
        } else {
          types.add("any");
        }
      } else if (type.isArray()) {
        type.forEach(t -> types.add(t.asString()));
      } else {
        types.add(type.asString());
      }
    }
    return types;
  }

  /**
   * The schema of member {@code name} of an object schema: the property of that name, else the schema of its
   * additional properties (a map's); null when it documents neither.
   */
  JsonNode property(JsonNode schema, String name) {
    for (JsonNode alternative : alternatives(schema)) {
      JsonNode property = alternative.path("properties").get(name);
      if (property != null) {
        return property;
      }
    }
    for (JsonNode alternative : alternatives(schema)) {
      JsonNode additional = alternative.get("additionalProperties");
      if (additional != null && additional.isObject()) {
        return additional;
      }
    }
    return null;
  }

  /** The schema of the items of an array schema, or null. */
  JsonNode items(JsonNode schema) {
    for (JsonNode alternative : alternatives(schema)) {
      if (alternative.has("items")) {
        return alternative.get("items");
      }
    }
    return null;
  }

  /** A schema's alternatives, references resolved: itself, or each of its {@code anyOf}/{@code oneOf}. */
  List<JsonNode> alternatives(JsonNode schema) {
    JsonNode resolved = resolve(schema);
    List<JsonNode> all = new ArrayList<>();
    JsonNode any = resolved.has("anyOf") ? resolved.get("anyOf") : resolved.get("oneOf");
    if (any == null) {
      all.add(resolved);
    } else {
      any.forEach(alternative -> all.add(resolve(alternative)));
    }
    return all;
  }

  JsonNode resolve(JsonNode schema) {
    JsonNode current = schema;
    while (current.has("$ref")) {
      current = spec.at(current.get("$ref").asString().substring(1));
    }
    return current;
  }
}

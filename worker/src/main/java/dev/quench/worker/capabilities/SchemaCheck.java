package dev.quench.worker.capabilities;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.quench.events.capabilities.CapabilityAnnouncement;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Whether a handler's input schema can be announced: a JSON Schema (draft 2020-12, checked against the meta-schema)
 * of an object, referring to nothing outside itself.
 */
final class SchemaCheck {

  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private final Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
      .getSchema(SchemaLocation.of(META_SCHEMA));

  /** @throws IllegalStateException naming the capability and what is wrong, if the schema is not usable */
  void requireValid(String capability, JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      throw new IllegalStateException("the handler of capability '" + capability + "' declares an input schema that"
          + " is not a JSON object: " + schema);
    }
    JsonNode type = schema.get("type");
    if (type != null && !(type.isString() && type.asString().equals("object"))) {
      throw new IllegalStateException("the input schema of capability '" + capability + "' must describe an object "
          + "(\"type\": \"object\"), not " + type);
    }
    List<String> external = CapabilityAnnouncement.externalReferences(schema);
    if (!external.isEmpty()) {
      throw new IllegalStateException("the input schema of capability '" + capability + "' refers to documents outside"
          + " itself, which nobody fetches: " + external + "; put what it needs under $defs and refer to #/$defs/...");
    }
    List<Error> errors = metaSchema.validate(schema);
    if (!errors.isEmpty()) {
      throw new IllegalStateException("the input schema of capability '" + capability + "' is not a valid JSON Schema "
          + "(draft 2020-12): " + errors.stream().map(Error::toString).toList());
    }
  }
}

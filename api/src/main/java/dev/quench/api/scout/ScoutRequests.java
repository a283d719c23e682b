package dev.quench.api.scout;

import dev.quench.api.tasks.TaskCommands;
import dev.quench.api.tasks.TaskRequests;
import dev.quench.api.web.ApiException;
import dev.quench.events.PayloadLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads and validates Scout request bodies; what is wrong is a 422 naming the field, as Scout answers. */
final class ScoutRequests {

  static final Set<String> PROCESSORS = Set.of("base", "core", "ultra");
  static final int MAX_OBJECTIVE = 10_000;

  private ScoutRequests() {
  }

  /** A {@code POST /scout/v1/tasks} body as a submission of the capability its processor runs. */
  static TaskCommands.Submission submission(JsonNode body, Map<String, String> processors) {
    if (body == null || !body.isObject()) {
      throw invalid(null, "the request body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!Set.of("task", "query", "processor", "output_schema", "metadata", "callback").contains(name)) {
        throw invalid(name, "extra inputs are not permitted");
      }
    }
    String objective = objective(body);
    String processor = "core";
    JsonNode processorNode = body.get("processor");
    if (processorNode != null && !processorNode.isNull()) {
      if (!processorNode.isString() || !PROCESSORS.contains(processorNode.asString())) {
        throw invalid("processor", "processor must be one of base, core, ultra");
      }
      processor = processorNode.asString();
    }
    JsonNode schema = body.get("output_schema");
    if (schema != null && !schema.isNull() && !schema.isObject()) {
      throw invalid("output_schema", "output_schema must be an object or null");
    }
    if (PayloadLimits.depth(schema) > PayloadLimits.MAX_DEPTH - 1) {
      throw invalid("output_schema", "output_schema may nest at most " + (PayloadLimits.MAX_DEPTH - 1)
          + " levels deep");
    }
    String capability = processors.get(processor);
    if (capability == null) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unsupported_processor",
          "processor '" + processor + "' is not offered here", "processor", false);
    }
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("task", objective);
    input.put("processor", processor);
    input.set("output_schema", schema == null ? JsonNodeFactory.instance.nullNode() : schema);
    // The input's members are the request's own fields: a schema violation names the field as the client sent it.
    return new TaskCommands.Submission(capability, null, metadata(body.get("metadata")), input, List.of(),
        "processor", "", null, TaskRequests.callback(body.get("callback")));
  }

  private static String objective(JsonNode body) {
    JsonNode task = body.get("task");
    JsonNode query = body.get("query");
    JsonNode given = task != null && !task.isNull() ? task : query;
    String field = given == task ? "task" : "query";
    if (given == null || given.isNull()) {
      throw invalid("task", "field required: task (or query)");
    }
    if (!given.isString() || given.asString().isBlank()) {
      throw invalid(field, field + " must be a non-empty string");
    }
    if (given.asString().length() > MAX_OBJECTIVE) {
      throw invalid(field, field + " may have at most " + MAX_OBJECTIVE + " characters");
    }
    if (task != null && query != null && !task.isNull() && !query.isNull() && !task.equals(query)) {
      throw invalid("query", "task and query are aliases: give one, or the same text in both");
    }
    return given.asString();
  }

  private static Map<String, String> metadata(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject() || node.size() > 64) {
      throw invalid("metadata", "metadata must be a map of at most 64 strings");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isString() || entry.getKey().isEmpty() || entry.getKey().length() > 64
          || entry.getValue().asString().length() > 512) {
        throw invalid("metadata." + entry.getKey(),
            "metadata values must be strings of at most 512 characters, keys 1 to 64");
      }
      metadata.put(entry.getKey(), entry.getValue().asString());
    }
    return metadata;
  }

  static ApiException invalid(String field, String message) {
    return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_error", message, field, false);
  }
}

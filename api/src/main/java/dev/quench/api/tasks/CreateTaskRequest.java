package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.TaskSubmitted;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/tasks} as the OpenAPI description documents it. {@link TaskRequests} reads a body
 * field by field, so a client learns which field is wrong; this record only describes it, with the same limits.
 */
@Schema(name = "CreateTaskRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
    description = "What to run.", requiredProperties = "capability")
public record CreateTaskRequest(
    @Schema(description = "The capability to run: one a worker announced (its input schema then checks `input`).",
        pattern = "^[a-z0-9][a-z0-9_.-]*$", maxLength = TaskRequests.MAX_CAPABILITY, example = "sleep")
    String capability,
    @Schema(description = "The capability's parameters: an object its input schema must accept; `{}` if absent.",
        types = {"object", "null"}, example = "{\"duration_ms\": 30000}") JsonNode input,
    @Schema(description = "A model to ask the handler for, or null.", types = {"string", "null"}, minLength = 1,
        maxLength = TaskRequests.MAX_MODEL) String model,
    @Schema(description = "Free-form string labels, echoed back and filterable (`metadata[key]=value`): at most "
        + TaskRequests.MAX_METADATA_ENTRIES + " entries, keys of 1 to " + TaskRequests.MAX_METADATA_KEY
        + " characters, values of at most " + TaskRequests.MAX_METADATA_VALUE + ".", types = {"object", "null"},
        maxProperties = TaskRequests.MAX_METADATA_ENTRIES, example = "{\"team\": \"search\"}")
    Map<String, String> metadata,
    @JsonProperty("parent_task_id") @Schema(description = "A task of the caller's this one is a subtask of (quench's "
        + "own field): a cancel with `cascade` of an ancestor cancels it too; at most " + TaskSubmitted.MAX_DEPTH
        + " levels deep.", types = {"string", "null"}) String parentTaskId,
    @Schema(description = "Where to POST the task once it ends (completed, failed or cancelled): a signed Standard "
        + "Webhooks callback whose delivery the task's `callback` shows. The URL must be https and resolve to public "
        + "addresses only; else 422 naming `callback.url`.", types = {"object", "null"}) CallbackRequestBody callback) {

  /** The {@code callback} member of a create. */
  @Schema(name = "CreateTaskCallback", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
      requiredProperties = "url")
  public record CallbackRequestBody(
      @Schema(description = "An absolute https URL whose host resolves to public addresses only (no loopback, "
          + "private, link-local, multicast or cloud metadata address).", format = "uri",
          maxLength = 2048, example = "https://hooks.example.com/quench") String url) {
  }

  /** What Swagger UI's "Try it out" sends as it is: a 30 s sleep, which a cancel then stops. */
  static final String EXAMPLE = "{\"capability\": \"sleep\", \"input\": {\"duration_ms\": 30000}, "
      + "\"metadata\": {\"team\": \"search\"}}";
}

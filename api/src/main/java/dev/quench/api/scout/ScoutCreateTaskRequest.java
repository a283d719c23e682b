package dev.quench.api.scout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.api.tasks.CreateTaskRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /scout/v1/tasks} as the OpenAPI description documents it; {@link ScoutRequests} reads it
 * field by field.
 */
@Schema(name = "ScoutCreateTaskRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
    description = "A task run: the objective as `task` (or its alias `query`), a processor tier, an output spec.")
record ScoutCreateTaskRequest(
    @Schema(description = "The objective. Required unless `query` is given.", minLength = 1,
        maxLength = ScoutRequests.MAX_OBJECTIVE, example = "Extract latest market trends for renewable energy")
    String task,
    @Schema(description = "The objective verbatim (alias of task): give one, or the same text in both.",
        minLength = 1, maxLength = ScoutRequests.MAX_OBJECTIVE) String query,
    @Schema(description = "Processor tier: base | core | ultra. Which capability each runs is "
        + "`quench.api.scout-processors.<tier>`.", types = {"string", "null"},
        allowableValues = {"base", "core", "ultra"}, defaultValue = "core") String processor,
    @JsonProperty("output_schema")
    @Schema(description = "The requested output spec, if any: `{\"type\": \"text\"}` or `auto` for a text answer, "
        + "else a JSON output whose `properties` name its fields.", types = {"object", "null"})
    JsonNode outputSchema,
    @Schema(description = "Free-form user metadata, echoed back: at most 64 strings of at most 512 characters.",
        types = {"object", "null"}, maxProperties = 64) Map<String, String> metadata,
    @Schema(description = "Where to POST the task once it ends: a signed Standard Webhooks callback carrying the "
        + "task (quench's own field). https, public addresses only; else 422 naming `callback.url`.",
        types = {"object", "null"}) CreateTaskRequest.CallbackRequestBody callback) {

  /** What Swagger UI's "Try it out" sends as it is. */
  static final String EXAMPLE = "{\"task\": \"Extract latest market trends for renewable energy\", "
      + "\"processor\": \"core\", \"metadata\": {\"team\": \"research\"}}";
}

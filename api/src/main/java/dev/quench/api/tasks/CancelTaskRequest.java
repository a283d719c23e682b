package dev.quench.api.tasks;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The optional body of {@code POST /v1/tasks/{task_id}/cancel} as the OpenAPI description documents it; read by
 * {@link TaskRequests#cancel}.
 */
@Schema(name = "CancelTaskRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
    description = "Why the task is cancelled, for the audit.")
public record CancelTaskRequest(
    @Schema(description = "Recorded with the cancel request; a longer one is cut to " + TaskRequests.MAX_REASON
        + " characters with a `reason_truncated` warning.", types = {"string", "null"}, example = "user pressed stop")
    String reason,
    @Schema(description = "Cancel the task's whole tree too, as one cancellation batch (quench's own field).",
        types = {"boolean", "null"}, example = "false") Boolean cascade) {

  /** What Swagger UI's "Try it out" sends as it is. */
  static final String EXAMPLE = "{\"reason\": \"user pressed stop\"}";
}

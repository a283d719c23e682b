package dev.quench.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The one error shape of the api: {@code {"error": {"code", "message", "field", "retryable", "request_id"}}}.
 *
 * @param code      stable and machine-friendly, e.g. {@code task_not_found}
 * @param message   for humans; never a stack trace
 * @param field     the request field at fault, when there is one
 * @param retryable whether the same request may succeed later (a 503, say)
 * @param requestId the request's {@code X-Request-Id}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Error", description = "What went wrong.", requiredProperties = {"code", "message", "retryable",
    "request_id"})
public record ApiError(
    @Schema(description = "Stable and machine-friendly.", pattern = "^[a-z][a-z0-9_]*$", example = "invalid_input")
    String code,
    @Schema(description = "For humans.", example = "input.duration_ms: string found, integer expected")
    String message,
    @Schema(description = "The request field at fault, when there is one: a body member (`input.duration_ms`, "
        + "`metadata.team`), a query parameter or a header (`Idempotency-Key`).", example = "input.duration_ms")
    String field,
    @Schema(description = "Whether the same request may succeed later.") boolean retryable,
    @JsonProperty("request_id") @Schema(description = "The request's X-Request-Id.", example = "req_5b1e0c9d2a")
    String requestId) {

  /**
   * The response body: the error under one {@code error} member; on the Scout paths also Scout's own
   * {@code detail} (a list of {@code {loc, msg, type}} for a 422, else the message), which its clients read.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Body(ApiError error, Object detail) {
  }
}

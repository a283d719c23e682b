package dev.quench.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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
public record ApiError(String code, String message, String field, boolean retryable,
                       @JsonProperty("request_id") String requestId) {

  /**
   * The response body: the error under one {@code error} member; on the Scout paths also Scout's own
   * {@code detail} (a list of {@code {loc, msg, type}} for a 422, else the message), which its clients read.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Body(ApiError error, Object detail) {
  }
}

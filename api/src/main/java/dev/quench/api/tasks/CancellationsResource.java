package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.CancelRecord;
import dev.quench.events.TaskState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * The audit of a task's cancel requests, oldest first.
 *
 * @param object   always {@code cancellations}
 * @param taskId   the task
 * @param status   where the task stands now
 * @param requests every cancel request recorded for it
 */
@Schema(name = "TaskCancellations", description = "Every cancel request of a task, oldest first: who asked, when, "
    + "why, what the api found, and what came of it.")
public record CancellationsResource(
    @Schema(allowableValues = "cancellations") String object,
    @JsonProperty("task_id") String taskId,
    @Schema(description = "Where the task stands now.", allowableValues = {"queued", "running", "completed", "failed",
        "cancelled"}) String status,
    List<Request> requests) {

  /**
   * One cancel request.
   *
   * @param requestId   the id of its {@code task.cancel_requested} event in the log
   * @param requestedAt when it was made
   * @param requestedBy the API key id that made it
   * @param reason      the reason given, or null
   * @param requestRef  the {@code X-Request-Id} of the HTTP request
   * @param foundStatus the task's status when the api accepted it
   * @param outcome     {@code cancelled}, a no-op reason ({@code completed_first}, {@code already_terminal},
   *                    {@code already_cancelling}), or {@code pending}
   * @param batchId     the cancellation batch it was part of, or null
   */
  @Schema(name = "TaskCancelRequest", description = "One cancel request and its outcome.")
  public record Request(
      @JsonProperty("request_id") @Schema(description = "Its event id in the log.", format = "uuid")
      String requestId,
      @JsonProperty("requested_at") Instant requestedAt,
      @JsonProperty("requested_by") @Schema(description = "The id of the API key that asked.") String requestedBy,
      @Schema(types = {"string", "null"}) String reason,
      @JsonProperty("request_ref") @Schema(description = "The X-Request-Id of the HTTP request.",
          types = {"string", "null"}) String requestRef,
      @JsonProperty("found_status") @Schema(description = "The task's status when the api took the request.",
          types = {"string", "null"}, allowableValues = {"queued", "running", "completed", "failed", "cancelled"})
      String foundStatus,
      @Schema(description = "What came of it: `cancelled`, a no-op's reason, or `pending`.", allowableValues = {
          "cancelled", "completed_first", "already_terminal", "already_cancelling", "unknown_task", "pending"})
      String outcome,
      @JsonProperty("batch_id") @Schema(description = "The cancellation batch it was part of, or null.",
          types = {"string", "null"}, format = "uuid") String batchId) {
  }

  static CancellationsResource of(TaskState task) {
    return new CancellationsResource("cancellations", task.taskId(), task.status().wire(),
        task.cancelRequests().stream().map(CancellationsResource::request).toList());
  }

  private static Request request(CancelRecord r) {
    return new Request(r.requestId().toString(), r.requestedAt(), r.requestedBy(), r.reason(), r.correlationId(),
        r.foundStatus() == null ? null : r.foundStatus().wire(), r.outcome() == null ? "pending" : r.outcome(),
        r.batch() == null ? null : r.batch().batchId().toString());
  }
}

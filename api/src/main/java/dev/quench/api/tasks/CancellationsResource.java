package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.CancelRecord;
import dev.quench.events.TaskState;
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
public record CancellationsResource(String object, @JsonProperty("task_id") String taskId, String status,
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
  public record Request(@JsonProperty("request_id") String requestId,
                        @JsonProperty("requested_at") Instant requestedAt,
                        @JsonProperty("requested_by") String requestedBy, String reason,
                        @JsonProperty("request_ref") String requestRef,
                        @JsonProperty("found_status") String foundStatus, String outcome,
                        @JsonProperty("batch_id") String batchId) {
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

package dev.quench.api.streams;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.HistoryEntry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One event of a task as {@code /v1} renders it ({@code object: "task_event"}): in a page of the task's events, and as
 * the {@code data} of a Server-Sent Event.
 */
@Schema(name = "TaskEvent", description = "One event of a task's life, as the log recorded it.")
public record TaskEventResource(
    @Schema(allowableValues = "task_event") String object,
    @JsonProperty("event_id") @Schema(description = "The event's id: the SSE `id`, and what `Last-Event-ID` names.",
        format = "uuid", types = {"string", "null"}) String eventId,
    @JsonProperty("task_id") String taskId,
    @Schema(description = "What happened, as the log names it; the SSE `event`.", example = "task.cancelled")
    String type,
    @Schema(description = "The task's version once this event was folded: strictly increasing within a task.")
    long sequence,
    @JsonProperty("occurred_at") Instant occurredAt,
    @Schema(description = "The task's status after it.", allowableValues = {"queued", "running", "completed",
        "failed", "cancelled"}) String status,
    @Schema(description = "A line for humans, or null.", types = {"string", "null"}) String message) {

  static TaskEventResource of(String taskId, HistoryEntry entry) {
    return new TaskEventResource("task_event", entry.eventId() == null ? null : entry.eventId().toString(), taskId,
        entry.type(), entry.sequence(), entry.occurredAt(), entry.status().wire(), entry.message());
  }
}

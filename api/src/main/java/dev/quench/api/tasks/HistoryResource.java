package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import java.time.Instant;
import java.util.List;

/**
 * A task's steps as the read model keeps them, oldest first: its submission, each status change, its first cancel
 * request that found it live, and its latest progress report. Bounded ({@link TaskState#HISTORY_LIMIT} steps: the
 * submission and the latest others); every cancel request, answered or not, is in {@link CancellationsResource}.
 *
 * @param object always {@code task_history}
 * @param taskId the task
 * @param status where the task stands now
 * @param steps  its steps, oldest first
 */
public record HistoryResource(String object, @JsonProperty("task_id") String taskId, String status,
                              List<Step> steps) {

  /**
   * One step.
   *
   * @param type       the event's type in the log, e.g. {@code task.started}
   * @param occurredAt when it happened
   * @param status     the task's status after it
   * @param message    a line for humans (a failure's message, a cancel's reason, a progress note), or null
   */
  public record Step(String type, @JsonProperty("occurred_at") Instant occurredAt, String status, String message) {
  }

  static HistoryResource of(TaskState task) {
    return new HistoryResource("task_history", task.taskId(), task.status().wire(),
        task.history().stream().map(HistoryResource::step).toList());
  }

  private static Step step(HistoryEntry entry) {
    return new Step(entry.type(), entry.occurredAt(), entry.status().wire(), entry.message());
  }
}

package dev.quench.api.tasks;

import dev.quench.events.Progress;
import dev.quench.events.TaskError;
import dev.quench.events.TaskState;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A task as the beatra contract renders it ({@code object: "task"}), from the read model.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record TaskResource(String object, String taskId, String status, String capability, String model,
                    Map<String, String> metadata, JsonNode input, ProgressResource progress, JsonNode output,
                    ErrorResource error, Instant createdAt, Instant startedAt, Instant completedAt,
                    Instant cancelRequestedAt, Links links) {

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ProgressResource(Integer percent, String stage, String message) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ErrorResource(String code, String message, boolean retryable) {
  }

  record Links(String self, String cancel) {
  }

  static TaskResource of(TaskState task) {
    Progress progress = task.progress();
    TaskError error = task.error();
    String self = "/v1/tasks/" + task.taskId();
    return new TaskResource("task", task.taskId(), task.status().wire(), task.capability(), task.model(),
        task.metadata(), task.input(),
        progress == null ? null : new ProgressResource(progress.percent(), progress.stage(), progress.message()),
        task.output(), error == null ? null : new ErrorResource(error.code(), error.message(), error.retryable()),
        task.createdAt(), task.startedAt(), task.completedAt(), task.cancelRequestedAt(),
        new Links(self, self + "/cancel"));
  }
}

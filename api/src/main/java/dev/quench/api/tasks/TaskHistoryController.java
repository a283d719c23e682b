package dev.quench.api.tasks;

import dev.quench.api.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/tasks/{id}/history}: the steps of a task the read model keeps, for the console's timeline. A full
 * event stream of a task is meant to come at {@code /v1/tasks/{id}/events}; this stays the bounded summary.
 */
@RestController
@RequestMapping(path = "/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class TaskHistoryController {

  private final TaskCommands tasks;

  TaskHistoryController(TaskCommands tasks) {
    this.tasks = tasks;
  }

  @GetMapping("/{taskId}/history")
  @Operation(operationId = "getTaskHistory", summary = "A task's steps",
      description = "Its submission, status changes, first live cancel request and latest progress, oldest first; "
          + "at most 50 steps. Needs `tasks:read`.")
  @ApiResponse(responseCode = "200", description = "The task's steps",
      content = @Content(schema = @Schema(implementation = HistoryResource.class)))
  HistoryResource history(Caller caller, @PathVariable String taskId) {
    return HistoryResource.of(tasks.visible(caller, taskId));
  }
}

package dev.quench.api.tasks;

import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.batches.BatchCommands;
import dev.quench.api.log.BatchStore;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.web.RequestIds;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/tasks}: submit, list, read and cancel tasks, answered in the beatra task shape. */
@RestController
@RequestMapping(path = "/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class TaskController {

  private final TaskCommands tasks;
  private final BatchCommands batches;
  private final ApiProperties settings;

  TaskController(TaskCommands tasks, BatchCommands batches, ApiProperties settings) {
    this.tasks = tasks;
    this.batches = batches;
    this.settings = settings;
  }

  /** 202: the task is recorded and queued; the answer already shows it. */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ApiResponse(responseCode = "202", description = "Recorded and queued (or, for a retry, the first answer again)",
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  ResponseEntity<TaskResource> submit(Caller caller, @RequestBody JsonNode body,
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                      HttpServletRequest http) {
    caller.require(Caller.WRITE);
    TaskCommands.Answer answer = tasks.submit(caller, TaskRequests.submission(body, settings.capabilities()),
        Idempotency.key(key), Idempotency.fingerprint("POST /v1/tasks", body), RequestIds.of(http));
    return ResponseEntity.status(answer.status()).location(URI.create("/v1/tasks/" + answer.task().taskId()))
        .body(render(answer));
  }

  @GetMapping
  @Parameter(name = "status", in = ParameterIn.QUERY, description = "queued, running, completed, failed, cancelled;"
      + " comma-separated for several")
  @Parameter(name = "capability", in = ParameterIn.QUERY)
  @Parameter(name = "metadata[key]", in = ParameterIn.QUERY, description = "tasks whose metadata has key = value")
  @Parameter(name = "created_after", in = ParameterIn.QUERY, description = "ISO-8601 instant")
  @Parameter(name = "created_before", in = ParameterIn.QUERY, description = "ISO-8601 instant")
  @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1 to 100, default 20")
  @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "next_cursor of the previous page")
  TaskPage<TaskResource> list(Caller caller, @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    TaskViewReplica.Page page = tasks.list(caller, TaskListQuery.of(caller.tenant(), params));
    return new TaskPage<>("list", page.tasks().stream().map(t -> TaskResource.of(t, settings.usdPerCredit()))
        .toList(), page.next() != null, TaskListQuery.cursorOf(page.next()));
  }

  @GetMapping("/{taskId}")
  TaskResource get(Caller caller, @PathVariable String taskId) {
    return TaskResource.of(tasks.visible(caller, taskId), settings.usdPerCredit());
  }

  /**
   * Every cancel request of the task: who asked, when, why, how the api answered and what came of it. Needs the
   * {@code audit:read} scope.
   */
  @GetMapping("/{taskId}/cancellations")
  CancellationsResource cancellations(Caller caller, @PathVariable String taskId) {
    caller.require(Caller.AUDIT);
    return CancellationsResource.of(tasks.visible(caller, taskId));
  }

  /** 202 while the task still has to stop (it shows {@code cancel_requested_at}); 200 once it has ended. */
  @PostMapping("/{taskId}/cancel")
  @ApiResponse(responseCode = "200", description = "Already terminal; returns final state (idempotent)",
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  @ApiResponse(responseCode = "202", description = "Recorded; the task is stopping and shows cancel_requested_at",
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  ResponseEntity<TaskResource> cancel(Caller caller, @PathVariable String taskId,
                                      @RequestBody(required = false) JsonNode body,
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                      HttpServletRequest http) {
    caller.require(Caller.CANCEL);
    TaskRequests.Cancel cancel = TaskRequests.cancel(body);
    String fingerprint = Idempotency.fingerprint("POST /v1/tasks/" + taskId + "/cancel", body);
    if (cancel.cascade()) {
      // The task and its whole tree, as one cancellation batch; the answer shows the task, and names the batch.
      tasks.visible(caller, taskId);
      BatchStore.Snapshot batch = batches.cascade(caller, taskId, cancel, Idempotency.key(key), fingerprint,
          RequestIds.of(http));
      TaskCommands.Answer answer = tasks.current(caller, taskId);
      return ResponseEntity.status(answer.status()).header(CASCADE_BATCH_HEADER, batch.header().batchId()
          .toString()).body(render(answer));
    }
    TaskCommands.Answer answer = tasks.cancel(caller, taskId, cancel.reason(), cancel.warnings(),
        Idempotency.key(key), fingerprint, RequestIds.of(http));
    return ResponseEntity.status(answer.status()).body(render(answer));
  }

  /** Names the cancellation batch a cancel with {@code cascade} made: {@code /v1/cancellation_batches/{id}}. */
  static final String CASCADE_BATCH_HEADER = "Quench-Cancellation-Batch";

  private TaskResource render(TaskCommands.Answer answer) {
    return TaskResource.of(answer.task(), settings.usdPerCredit());
  }
}

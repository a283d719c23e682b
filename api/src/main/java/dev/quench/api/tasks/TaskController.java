package dev.quench.api.tasks;

import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.batches.BatchCommands;
import dev.quench.api.log.BatchStore;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.web.ApiDocs;
import dev.quench.api.web.RequestIds;
import dev.quench.events.TaskState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
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
@Tag(name = ApiDocs.TASKS)
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
  @Operation(operationId = "createTask", summary = "Create a task", description = "Records the task and queues it "
      + "for a worker serving its capability. The capability must be one a worker announced, and `input` must "
      + "satisfy the JSON Schema it announced with; else nothing is recorded. Needs `tasks:write`.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
      schema = @Schema(implementation = CreateTaskRequest.class),
      examples = @ExampleObject(name = "sleep", summary = "A 30 s sleep, to cancel",
          value = CreateTaskRequest.EXAMPLE)))
  @ApiResponse(responseCode = "202", description = "Recorded and queued (or, for a retry, the first answer again)",
      headers = @Header(name = "Location", description = "The task's URL", schema = @Schema(type = "string")),
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST)
  @ApiResponse(responseCode = "409", description = ApiDocs.IN_FLIGHT)
  @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE)
  @ApiResponse(responseCode = "415", description = ApiDocs.NOT_JSON)
  @ApiResponse(responseCode = "422", description = "No worker announced the capability (`unknown_capability`), "
      + "`input` breaks its schema (`invalid_input`, `field` names the member, e.g. `input.duration_ms`), or the "
      + "Idempotency-Key was used for another request (`idempotency_key_reused`)")
  @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE)
  @Parameter(ref = ApiDocs.PREFER_WAIT)
  ResponseEntity<TaskResource> submit(Caller caller, @RequestBody JsonNode body,
                                      @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                      HttpServletRequest http) {
    TaskCommands.Answer answer = submitted(caller, body, key, http);
    return ResponseEntity.status(answer.status()).location(location(answer)).body(render(answer));
  }

  /** {@link #submit} for a client that sent {@code Prefer}: with {@code wait=N}, answers once the task ended. */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, headers = PREFER)
  @Operation(hidden = true)
  CompletableFuture<ResponseEntity<TaskResource>> submitAndWait(
      Caller caller, @RequestBody JsonNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) String key, HttpServletRequest http) {
    Optional<PreferWait> wait = PreferWait.of(http.getHeaders(PREFER));
    TaskCommands.Answer answer = submitted(caller, body, key, http);
    return waited(answer, wait).thenApply(ended -> withWait(ResponseEntity.status(ended.status())
        .location(location(ended)), wait).body(render(ended)));
  }

  private TaskCommands.Answer submitted(Caller caller, JsonNode body, String key, HttpServletRequest http) {
    caller.require(Caller.WRITE);
    return tasks.submit(caller, TaskRequests.submission(body), Idempotency.key(key),
        Idempotency.fingerprint("POST /v1/tasks", body), RequestIds.of(http));
  }

  @GetMapping
  @Operation(operationId = "listTasks", summary = "List tasks", description = "The caller's tasks, newest first, "
      + "that match every filter given. Needs `tasks:read`.", parameters = {
          @Parameter(ref = ApiDocs.LIST_STATUS), @Parameter(ref = ApiDocs.LIST_CAPABILITY),
          @Parameter(ref = ApiDocs.LIST_METADATA), @Parameter(ref = ApiDocs.LIST_CREATED_AFTER),
          @Parameter(ref = ApiDocs.LIST_CREATED_BEFORE), @Parameter(ref = ApiDocs.LIST_PARENT),
          @Parameter(ref = ApiDocs.LIST_LIMIT), @Parameter(ref = ApiDocs.LIST_CURSOR)})
  @ApiResponse(responseCode = "200", description = "One page",
      content = @Content(schema = @Schema(implementation = TaskList.class)))
  @ApiResponse(responseCode = "400", description = "A query parameter is wrong or unknown (`field` names it)")
  TaskList list(Caller caller, @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    TaskViewReplica.Page page = tasks.list(caller, TaskListQuery.of(caller.tenant(), params));
    return new TaskList("list", page.tasks().stream().map(t -> TaskResource.of(t, settings.usdPerCredit()))
        .toList(), page.next() != null, TaskListQuery.cursorOf(page.next()));
  }

  @GetMapping("/{task_id}")
  @Operation(operationId = "getTask", summary = "Get a task", description = "Needs `tasks:read`.")
  @ApiResponse(responseCode = "200", description = "The task",
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  @Parameter(ref = ApiDocs.PREFER_WAIT)
  TaskResource get(Caller caller, @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId) {
    return TaskResource.of(tasks.visible(caller, taskId), settings.usdPerCredit());
  }

  /** {@link #get} for a client that sent {@code Prefer}: with {@code wait=N}, answers once the task ended. */
  @GetMapping(path = "/{task_id}", headers = PREFER)
  @Operation(hidden = true)
  CompletableFuture<ResponseEntity<TaskResource>> getAndWait(Caller caller, @PathVariable("task_id") String taskId,
                                                             HttpServletRequest http) {
    Optional<PreferWait> wait = PreferWait.of(http.getHeaders(PREFER));
    TaskState task = tasks.visible(caller, taskId);
    return waited(new TaskCommands.Answer(HttpStatus.OK, task), wait)
        .thenApply(ended -> withWait(ResponseEntity.ok(), wait).body(render(ended)));
  }

  /**
   * Every cancel request of the task: who asked, when, why, how the api answered and what came of it. Needs the
   * {@code audit:read} scope.
   */
  @GetMapping("/{task_id}/cancellations")
  @Operation(operationId = "listTaskCancellations", summary = "List a task's cancel requests", description =
      "Every cancel request recorded for the task, oldest first, each with its outcome. Needs `audit:read`.")
  @ApiResponse(responseCode = "200", description = "The audit of the task's cancellations",
      content = @Content(schema = @Schema(implementation = CancellationsResource.class)))
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  CancellationsResource cancellations(Caller caller,
                                      @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId) {
    caller.require(Caller.AUDIT);
    return CancellationsResource.of(tasks.visible(caller, taskId));
  }

  /** 202 while the task still has to stop (it shows {@code cancel_requested_at}); 200 once it has ended. */
  @PostMapping("/{task_id}/cancel")
  @Operation(operationId = "cancelTask", summary = "Cancel a task (best-effort)", description = "Records a cancel "
      + "request, whatever the task's state: a queued task never starts, a running one is told to stop at once. "
      + "Every request is audited and gets its own outcome. With `cascade`, the task's whole tree is cancelled as "
      + "one cancellation batch, named by the `Quench-Cancellation-Batch` header. Needs `tasks:cancel`.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
      schema = @Schema(implementation = CancelTaskRequest.class),
      examples = @ExampleObject(name = "reason", summary = "With a reason for the audit",
          value = CancelTaskRequest.EXAMPLE)))
  @ApiResponse(responseCode = "200", description = "Already terminal; returns final state (idempotent)",
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  @ApiResponse(responseCode = "202", description = "Recorded; the task is stopping and shows cancel_requested_at",
      content = @Content(schema = @Schema(implementation = TaskResource.class)))
  @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST)
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  @ApiResponse(responseCode = "409", description = ApiDocs.IN_FLIGHT)
  @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE)
  @ApiResponse(responseCode = "415", description = ApiDocs.NOT_JSON)
  @ApiResponse(responseCode = "422", description = ApiDocs.KEY_REUSED)
  @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE)
  @Parameter(ref = ApiDocs.PREFER_WAIT)
  ResponseEntity<TaskResource> cancel(Caller caller,
                                      @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId,
                                      @RequestBody(required = false) JsonNode body,
                                      @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
                                      @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                      HttpServletRequest http) {
    Cancelled cancelled = cancelled(caller, taskId, body, key, http);
    return cancelled.headers(ResponseEntity.status(cancelled.answer().status())).body(render(cancelled.answer()));
  }

  /** {@link #cancel} for a client that sent {@code Prefer}: with {@code wait=N}, answers once the task ended. */
  @PostMapping(path = "/{task_id}/cancel", headers = PREFER)
  @Operation(hidden = true)
  CompletableFuture<ResponseEntity<TaskResource>> cancelAndWait(
      Caller caller, @PathVariable("task_id") String taskId, @RequestBody(required = false) JsonNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) String key, HttpServletRequest http) {
    Optional<PreferWait> wait = PreferWait.of(http.getHeaders(PREFER));
    Cancelled cancelled = cancelled(caller, taskId, body, key, http);
    return waited(cancelled.answer(), wait).thenApply(ended -> withWait(
        cancelled.headers(ResponseEntity.status(ended.status())), wait).body(render(ended)));
  }

  /** What a cancel answered, and the cascade it started, if it asked for one. */
  private record Cancelled(TaskCommands.Answer answer, String cascade) {
    ResponseEntity.BodyBuilder headers(ResponseEntity.BodyBuilder response) {
      return cascade == null ? response : response.header(CASCADE_BATCH_HEADER, cascade);
    }
  }

  private Cancelled cancelled(Caller caller, String taskId, JsonNode body, String key, HttpServletRequest http) {
    caller.require(Caller.CANCEL);
    TaskRequests.Cancel cancel = TaskRequests.cancel(body);
    String fingerprint = Idempotency.fingerprint("POST /v1/tasks/" + taskId + "/cancel", body);
    if (cancel.cascade()) {
      // The task and its whole tree, as one cancellation batch; the answer shows the task, and names the batch.
      tasks.visible(caller, taskId);
      BatchStore.Snapshot batch = batches.cascade(caller, taskId, cancel, Idempotency.key(key), fingerprint,
          RequestIds.of(http));
      return new Cancelled(tasks.current(caller, taskId), batch.header().batchId().toString());
    }
    return new Cancelled(tasks.cancel(caller, taskId, cancel.reason(), cancel.warnings(), Idempotency.key(key),
        fingerprint, RequestIds.of(http)), null);
  }

  /** Names the cancellation batch a cancel with {@code cascade} made: {@code /v1/cancellation_batches/{id}}. */
  static final String CASCADE_BATCH_HEADER = "Quench-Cancellation-Batch";
  private static final String PREFER = "Prefer";

  /**
   * The answer once the task ended, if the client prefers to wait that long: 200 with the final state then (the
   * work is done); else the answer as it was, with the task as it stands.
   */
  private CompletableFuture<TaskCommands.Answer> waited(TaskCommands.Answer answer, Optional<PreferWait> wait) {
    if (wait.isEmpty()) {
      return CompletableFuture.completedFuture(answer);
    }
    return tasks.whenEnded(answer.task(), wait.get().duration()).thenApply(task -> new TaskCommands.Answer(
        task.status().terminal() ? HttpStatus.OK : answer.status(), task));
  }

  private static ResponseEntity.BodyBuilder withWait(ResponseEntity.BodyBuilder response,
                                                     Optional<PreferWait> wait) {
    return wait.map(w -> response.header(PreferWait.APPLIED, w.applied())).orElse(response);
  }

  private static URI location(TaskCommands.Answer answer) {
    return URI.create("/v1/tasks/" + answer.task().taskId());
  }

  private TaskResource render(TaskCommands.Answer answer) {
    return TaskResource.of(answer.task(), settings.usdPerCredit());
  }
}

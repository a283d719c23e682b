package dev.quench.api.scout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.streams.EventRendering;
import dev.quench.api.streams.EventStreams;
import dev.quench.api.tasks.Idempotency;
import dev.quench.api.tasks.TaskCommands;
import dev.quench.api.tasks.TaskListQuery;
import dev.quench.api.web.ApiDocs;
import dev.quench.api.web.RequestIds;
import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /scout/v1/tasks}: the same tasks in the Scout shape. Scout answers 200 for a created task and for a cancel
 * (a no-op when the task already finished); the task object shows where it stands. A cancel waits, at most
 * {@code quench.api.scout-cancel-wait}, for the task to end, and answers its outcome if it came by then.
 */
@RestController
@RequestMapping(path = "/scout/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = ApiDocs.SCOUT)
class ScoutTaskController {

  /**
   * A task's steps.
   *
   * @param taskId the task
   * @param events its steps, oldest first
   */
  @Schema(name = "ScoutTaskEvents", description = "A task's steps, oldest first.")
  record EventList(@JsonProperty("task_id") String taskId, List<EventResource> events) {
  }

  /** One step: a status change, a cancel request, the latest progress. */
  @Schema(name = "ScoutTaskEvent", description = "One step: a status change, a cancel request, the latest progress.")
  record EventResource(
      @Schema(description = "What happened, as the log names it.", example = "task.started") String type,
      Instant timestamp,
      @Schema(description = "The status after it.", allowableValues = {"queued", "running", "completed", "failed",
          "cancelled"}) String status,
      @Schema(description = "What the step says, or null.", types = {"string", "null"}) String message) {
  }

  private final TaskCommands tasks;
  private final ApiProperties settings;
  private final EventStreams streams;
  private final EventRendering rendering;

  ScoutTaskController(TaskCommands tasks, ApiProperties settings, EventStreams streams, JsonMapper json) {
    this.tasks = tasks;
    this.settings = settings;
    this.streams = streams;
    this.rendering = (task, entry) -> json.writeValueAsString(event(entry));
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "scoutCreateTask", summary = "Task", description = "Creates a task run on the "
      + "capability its processor runs (`quench.api.scout-processors.<tier>`). Needs `tasks:write`.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
      schema = @Schema(implementation = ScoutCreateTaskRequest.class),
      examples = @ExampleObject(name = "objective", summary = "An objective for the core processor",
          value = ScoutCreateTaskRequest.EXAMPLE)))
  @ApiResponse(responseCode = "200", description = "Successful Response",
      content = @Content(schema = @Schema(implementation = ScoutTaskResource.class)))
  @ApiResponse(responseCode = "409", description = ApiDocs.IN_FLIGHT)
  @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE)
  @ApiResponse(responseCode = "415", description = ApiDocs.NOT_JSON)
  @ApiResponse(responseCode = "422", description = ApiDocs.SCOUT_INVALID)
  @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE)
  ScoutTaskResource create(Caller caller, @RequestBody JsonNode body,
                           @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                           HttpServletRequest http) {
    caller.require(Caller.WRITE);
    TaskCommands.Answer answer = tasks.submit(caller, ScoutRequests.submission(body, settings.scoutProcessors()),
        Idempotency.key(key), Idempotency.fingerprint("POST /scout/v1/tasks", body), RequestIds.of(http));
    return render(answer.task());
  }

  @GetMapping
  @Operation(operationId = "scoutListTasks", summary = "Task List", description = "The caller's task runs, newest "
      + "first, filtered and paged like `GET /v1/tasks`. Needs `tasks:read`.", parameters = {
          @Parameter(ref = ApiDocs.LIST_STATUS), @Parameter(ref = ApiDocs.LIST_CAPABILITY),
          @Parameter(ref = ApiDocs.LIST_METADATA), @Parameter(ref = ApiDocs.LIST_CREATED_AFTER),
          @Parameter(ref = ApiDocs.LIST_CREATED_BEFORE), @Parameter(ref = ApiDocs.LIST_LIMIT),
          @Parameter(ref = ApiDocs.LIST_CURSOR)})
  @ApiResponse(responseCode = "200", description = "Successful Response",
      content = @Content(schema = @Schema(implementation = ScoutTaskList.class)))
  @ApiResponse(responseCode = "422", description = ApiDocs.SCOUT_INVALID)
  ScoutTaskList list(Caller caller, @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    TaskViewReplica.Page page = tasks.list(caller, TaskListQuery.of(caller.tenant(), params));
    return new ScoutTaskList("list", page.tasks().stream().map(ScoutTaskController::render).toList(),
        page.next() != null, TaskListQuery.cursorOf(page.next()));
  }

  @GetMapping("/{task_id}")
  @Operation(operationId = "scoutGetTask", summary = "Task Get", description = "Needs `tasks:read`.")
  @ApiResponse(responseCode = "200", description = "Successful Response",
      content = @Content(schema = @Schema(implementation = ScoutTaskResource.class)))
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  ScoutTaskResource get(Caller caller, @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId) {
    return render(tasks.visible(caller, taskId));
  }

  @GetMapping("/{task_id}/events")
  @Operation(operationId = "scoutGetTaskEvents", summary = "Task Events", description = "The task's steps, oldest "
      + "first. Needs `tasks:read`.")
  @ApiResponse(responseCode = "200", description = "Successful Response", content = {
      @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = EventList.class)),
      @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = EventResource.class,
          description = "With `Accept: text/event-stream`: each step as a Server-Sent Event (`id` its event id, "
              + "`event` its type), live until the terminal one; `Last-Event-ID` resumes"))})
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  EventList events(Caller caller, @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId) {
    TaskState task = tasks.visible(caller, taskId);
    return new EventList(task.taskId(), task.history().stream().map(ScoutTaskController::event).toList());
  }

  /** The same steps as Server-Sent Events, live until the terminal one; {@code Last-Event-ID} resumes. */
  @GetMapping(path = "/{task_id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(hidden = true)
  SseEmitter stream(Caller caller, @PathVariable("task_id") String taskId,
                    @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                    HttpServletRequest http) {
    tasks.visible(caller, taskId);
    return HttpMethod.HEAD.matches(http.getMethod()) ? streams.head()
        : streams.task(taskId, lastEventId, rendering);
  }

  @PostMapping("/{task_id}/cancel")
  @Operation(operationId = "scoutCancelTask", summary = "Task Cancel", description = "Cancel an in-flight task; a "
      + "no-op if it has already finished. Waits, at most `quench.api.scout-cancel-wait` (2 s), for the task to end, "
      + "and answers its final state if it did (a queued task: `cancelled`), else its state then. Needs "
      + "`tasks:cancel`.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
      schema = @Schema(implementation = ScoutCancelRequest.class),
      examples = @ExampleObject(name = "empty", summary = "No fields", value = ScoutCancelRequest.EXAMPLE)))
  @ApiResponse(responseCode = "200", description = "Successful Response",
      content = @Content(schema = @Schema(implementation = ScoutTaskResource.class)))
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  @ApiResponse(responseCode = "409", description = ApiDocs.IN_FLIGHT)
  @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE)
  @ApiResponse(responseCode = "415", description = ApiDocs.NOT_JSON)
  @ApiResponse(responseCode = "422", description = "Unprocessable Entity Error: " + ApiDocs.SCOUT_INVALID)
  @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE)
  ScoutTaskResource cancel(Caller caller, @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId,
                           @RequestBody(required = false) JsonNode body,
                           @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                           HttpServletRequest http) {
    caller.require(Caller.CANCEL);
    if (body != null && !body.isNull() && !(body.isObject() && body.isEmpty())) {
      throw ScoutRequests.invalid(null, "the cancel body takes no fields");
    }
    TaskState task = tasks.cancel(caller, taskId, null, List.of(), Idempotency.key(key),
        Idempotency.fingerprint("POST /scout/v1/tasks/" + taskId + "/cancel", body), RequestIds.of(http)).task();
    // Scout answers a cancel with its outcome: wait a little for it (a queued task's comes within milliseconds).
    return render(tasks.awaitEnd(task, settings.scoutCancelWait()));
  }

  private static ScoutTaskResource render(TaskState task) {
    return ScoutTaskResource.of(task);
  }

  private static EventResource event(HistoryEntry entry) {
    return new EventResource(entry.type(), entry.occurredAt(), entry.status().wire(), entry.message());
  }
}

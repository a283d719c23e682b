package dev.quench.api.streams;

import dev.quench.api.auth.Caller;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.tasks.TaskCommands;
import dev.quench.api.tasks.TaskListQuery;
import dev.quench.api.web.ApiDocs;
import dev.quench.api.web.ApiException;
import dev.quench.api.web.PageParameters;
import dev.quench.events.EventType;
import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A task's events ({@code GET /v1/tasks/{task_id}/events}): pages of JSON, or with {@code Accept: text/event-stream}
 * a live stream that ends after the terminal event; and every event of the caller's tasks
 * ({@code GET /v1/events}), live.
 */
@RestController
@Tag(name = ApiDocs.TASKS)
class TaskEventController {

  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 100;
  private static final Set<String> TYPES = Arrays.stream(EventType.values()).map(EventType::wire)
      .collect(Collectors.toUnmodifiableSet());

  private final TaskCommands tasks;
  private final TaskViewReplica replica;
  private final EventStreams streams;
  private final EventRendering rendering;

  TaskEventController(TaskCommands tasks, TaskViewReplica replica, EventStreams streams, JsonMapper json) {
    this.tasks = tasks;
    this.replica = replica;
    this.streams = streams;
    this.rendering = (task, entry) -> json.writeValueAsString(TaskEventResource.of(task.taskId(), entry));
  }

  @GetMapping(path = "/v1/tasks/{task_id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "listTaskEvents", summary = "List a task's events", description = "The task's events "
      + "as the log recorded them, oldest first (the latest progress only; at most the last 50). A request shows "
      + "once the log has it, within milliseconds of its answer. With `Accept: text/event-stream`, the same events "
      + "as Server-Sent Events, live until the terminal event. Needs `tasks:read`.", parameters = {
          @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1 to 100, default 20",
              schema = @Schema(type = "integer", minimum = "1", maximum = "100")),
          @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "The previous page's `next_cursor`",
              schema = @Schema(type = "string"))})
  @ApiResponse(responseCode = "200", description = "One page", content = {
      @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
          schema = @Schema(implementation = TaskEventList.class)),
      @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(
          implementation = TaskEventResource.class, description = "Each event's `data`; its `id` is the event "
          + "id, its `event` the type"))})
  @ApiResponse(responseCode = "400", description = "`limit` or `cursor` is wrong (`field` names it)")
  @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)
  TaskEventList page(Caller caller, @Parameter(ref = ApiDocs.TASK_ID) @PathVariable("task_id") String taskId,
                     @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    tasks.visible(caller, taskId);
    int limit = DEFAULT_LIMIT;
    long after = 0;
    for (Map.Entry<String, String> param : params.entrySet()) {
      switch (param.getKey()) {
        case "limit" -> limit = limit(param.getValue());
        case "cursor" -> after = cursor(param.getValue());
        default -> throw ApiException.invalid(param.getKey(), "unknown query parameter '" + param.getKey()
            + "'; known: limit, cursor");
      }
    }
    TaskState task = replica.logged(taskId);
    List<HistoryEntry> history = task == null ? List.of() : task.history();
    long from = after;
    List<HistoryEntry> rest = history.stream().filter(e -> e.sequence() > from).toList();
    List<HistoryEntry> page = rest.subList(0, Math.min(limit, rest.size()));
    boolean more = rest.size() > page.size();
    return new TaskEventList("list", page.stream().map(e -> TaskEventResource.of(taskId, e)).toList(), more,
        more ? cursorOf(page.get(page.size() - 1).sequence()) : null);
  }

  @GetMapping(path = "/v1/tasks/{task_id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(hidden = true)
  SseEmitter stream(Caller caller, @PathVariable("task_id") String taskId,
                    @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                    HttpServletRequest http) {
    tasks.visible(caller, taskId);
    return HttpMethod.HEAD.matches(http.getMethod()) ? streams.head()
        : streams.task(taskId, lastEventId, rendering);
  }

  @GetMapping(path = "/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(operationId = "streamEvents", summary = "Stream every event of your tasks", description = "Server-Sent "
      + "Events of every task of the caller's tenant, from now on: each event's `id` is its event id, `event` its "
      + "type, `data` the event. Filters as a listing's (`status` and the others look at the task as it is then), "
      + "and `type` (comma-separated event types). A comment line every 15 s keeps it alive; the api ends it "
      + "after an hour (reconnect). Needs `tasks:read`.", parameters = {
          @Parameter(ref = ApiDocs.LIST_STATUS), @Parameter(ref = ApiDocs.LIST_CAPABILITY),
          @Parameter(ref = ApiDocs.LIST_METADATA), @Parameter(ref = ApiDocs.LIST_CREATED_AFTER),
          @Parameter(ref = ApiDocs.LIST_CREATED_BEFORE), @Parameter(ref = ApiDocs.LIST_PARENT),
          @Parameter(name = "type", in = ParameterIn.QUERY, description = "Only events of these types, "
              + "comma-separated, e.g. `task.cancelled,task.completed`", schema = @Schema(type = "string"))})
  @ApiResponse(responseCode = "200", description = "The stream", content = @Content(
      mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = TaskEventResource.class)))
  @ApiResponse(responseCode = "400", description = "A filter is wrong (`field` names it)")
  @ApiResponse(responseCode = "503", description = "This instance has as many streams open as it may "
      + "(`too_many_streams`, retryable)")
  SseEmitter tenant(Caller caller, @Parameter(hidden = true) @RequestParam Map<String, String> params,
                    HttpServletRequest http) {
    caller.require(Caller.READ);
    Map<String, String> filters = new HashMap<>(params);
    Set<String> types = types(filters.remove("type"));
    for (String paging : List.of("limit", "cursor")) {
      if (filters.containsKey(paging)) {
        throw ApiException.invalid(paging, "a stream has no pages: '" + paging + "' does not apply");
      }
    }
    TaskListQuery filter = TaskListQuery.of(caller.tenant(), filters);
    return HttpMethod.HEAD.matches(http.getMethod()) ? streams.head() : streams.tenant(filter, types, rendering);
  }

  private static Set<String> types(String value) {
    if (value == null) {
      return Set.of();
    }
    Set<String> types = Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    for (String type : types) {
      if (!TYPES.contains(type)) {
        throw ApiException.invalid("type", "unknown event type '" + type + "'; e.g. task.submitted, "
            + "task.started, task.cancel_requested, task.completed, task.failed, task.cancelled");
      }
    }
    return types;
  }

  private static int limit(String value) {
    return PageParameters.limit(value, DEFAULT_LIMIT, MAX_LIMIT);
  }

  private static String cursorOf(long sequence) {
    return PageParameters.cursorOf("e" + sequence);
  }

  private static long cursor(String value) {
    String position = PageParameters.position(value);
    try {
      if (position.startsWith("e")) {
        long sequence = Long.parseLong(position.substring(1));
        if (sequence >= 0) {
          return sequence;
        }
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw PageParameters.badCursor();
  }
}

package dev.quench.api.scout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.tasks.Idempotency;
import dev.quench.api.tasks.TaskCommands;
import dev.quench.api.tasks.TaskListQuery;
import dev.quench.api.tasks.TaskPage;
import dev.quench.api.web.RequestIds;
import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /scout/v1/tasks}: the same tasks in the Scout shape. Scout answers 200 for a created task and for a cancel
 * (a no-op when the task already finished); the task object shows where it stands.
 */
@RestController
@RequestMapping(path = "/scout/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class ScoutTaskController {

  /**
   * A task's steps.
   *
   * @param taskId the task
   * @param events its steps, oldest first
   */
  record EventList(@JsonProperty("task_id") String taskId, List<EventResource> events) {
  }

  /** One step: a status change, a cancel request, the latest progress. */
  record EventResource(String type, Instant timestamp, String status, String message) {
  }

  private final TaskCommands tasks;
  private final ApiProperties settings;

  ScoutTaskController(TaskCommands tasks, ApiProperties settings) {
    this.tasks = tasks;
    this.settings = settings;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ScoutTaskResource create(Caller caller, @RequestBody JsonNode body,
                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                           HttpServletRequest http) {
    caller.require(Caller.WRITE);
    TaskCommands.Answer answer = tasks.submit(caller, ScoutRequests.submission(body, settings.scoutProcessors()),
        Idempotency.key(key), Idempotency.fingerprint("POST /scout/v1/tasks", body), RequestIds.of(http));
    return render(answer.task());
  }

  @GetMapping
  TaskPage<ScoutTaskResource> list(Caller caller,
                                   @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    TaskViewReplica.Page page = tasks.list(caller, TaskListQuery.of(caller.tenant(), params));
    return new TaskPage<>("list", page.tasks().stream().map(this::render).toList(), page.next() != null,
        TaskListQuery.cursorOf(page.next()));
  }

  @GetMapping("/{taskId}")
  ScoutTaskResource get(Caller caller, @PathVariable String taskId) {
    return render(tasks.visible(caller, taskId));
  }

  @GetMapping("/{taskId}/events")
  EventList events(Caller caller, @PathVariable String taskId) {
    TaskState task = tasks.visible(caller, taskId);
    return new EventList(task.taskId(), task.history().stream().map(ScoutTaskController::event).toList());
  }

  @PostMapping("/{taskId}/cancel")
  ScoutTaskResource cancel(Caller caller, @PathVariable String taskId, @RequestBody(required = false) JsonNode body,
                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                           HttpServletRequest http) {
    caller.require(Caller.CANCEL);
    if (body != null && !body.isNull() && !(body.isObject() && body.isEmpty())) {
      throw ScoutRequests.invalid(null, "the cancel body takes no fields");
    }
    return render(tasks.cancel(caller, taskId, null, List.of(), Idempotency.key(key),
        Idempotency.fingerprint("POST /scout/v1/tasks/" + taskId + "/cancel", body), RequestIds.of(http))
        .task());
  }

  private ScoutTaskResource render(TaskState task) {
    JsonNode input = task.input();
    String processor = input != null && input.path("processor").isString() ? input.get("processor").asString()
        : settings.scoutProcessors().entrySet().stream().filter(e -> Objects.equals(e.getValue(), task.capability()))
            .map(Map.Entry::getKey).sorted().findFirst().orElse("core");
    return ScoutTaskResource.of(task, processor);
  }

  private static EventResource event(HistoryEntry entry) {
    return new EventResource(entry.type(), entry.occurredAt(), entry.status().wire(), entry.message());
  }
}

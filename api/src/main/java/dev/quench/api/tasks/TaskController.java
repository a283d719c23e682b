package dev.quench.api.tasks;

import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.log.RequestLog;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.web.ApiException;
import dev.quench.api.web.RequestIds;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.Uuids;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/tasks}: submit, read and cancel tasks, answered in the beatra task shape. */
@RestController
@RequestMapping(path = "/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class TaskController {

  private final RequestLog requests;
  private final TaskViewReplica replica;
  private final ApiProperties settings;
  private final Clock clock;

  TaskController(RequestLog requests, TaskViewReplica replica, ApiProperties settings, Clock clock) {
    this.requests = requests;
    this.replica = replica;
    this.settings = settings;
    this.clock = clock;
  }

  /** 202: the task is recorded and queued; the answer already shows it. */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<TaskResource> submit(Caller caller, @RequestBody JsonNode body, HttpServletRequest http) {
    caller.require(Caller.WRITE);
    TaskRequests.Submission submission = TaskRequests.submission(body, settings.capabilities());
    Instant now = now();
    String taskId = Uuids.v7(now.toEpochMilli()).toString();
    Envelope submitted = Envelope.of(UUID.randomUUID(), taskId, caller.tenant(), now, settings.producer(), null,
        RequestIds.of(http), new TaskSubmitted(submission.capability(), submission.model(), submission.metadata(),
            submission.input(), caller.keyId()));
    append(submitted);
    return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/v1/tasks/" + taskId))
        .body(TaskResource.of(replica.find(taskId)));
  }

  @GetMapping("/{taskId}")
  TaskResource get(Caller caller, @PathVariable String taskId) {
    caller.require(Caller.READ);
    return TaskResource.of(visibleTask(caller, taskId));
  }

  /**
   * Records the cancel request, whatever the task's state: every request is audited and gets its own outcome.
   * 202 while the task still has to stop (it shows {@code cancel_requested_at}); 200 with the final state when it
   * already ended.
   */
  @PostMapping("/{taskId}/cancel")
  ResponseEntity<TaskResource> cancel(Caller caller, @PathVariable String taskId,
                                      @RequestBody(required = false) JsonNode body, HttpServletRequest http) {
    caller.require(Caller.CANCEL);
    String reason = TaskRequests.cancelReason(body);
    TaskState task = visibleTask(caller, taskId);
    boolean alreadyEnded = task.status().terminal();
    append(Envelope.of(UUID.randomUUID(), taskId, caller.tenant(), now(), settings.producer(), null,
        RequestIds.of(http), new CancelRequested(reason, caller.keyId())));
    return ResponseEntity.status(alreadyEnded ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .body(TaskResource.of(replica.find(taskId)));
  }

  /** The caller's task, or 404: another tenant's task is indistinguishable from a missing one. */
  private TaskState visibleTask(Caller caller, String taskId) {
    TaskState task = null;
    if (TaskRequests.plausibleTaskId(taskId)) {
      try {
        task = replica.read(taskId, settings.catchUpTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiException.unavailable("interrupted while looking for the task");
      }
    }
    if (task == null || !task.tenant().equals(caller.tenant())) {
      throw ApiException.notFound("task_not_found", "no task with id '" + abbreviate(taskId) + "'");
    }
    return task;
  }

  /** Waits until the request is durably in the log, then makes it readable on this instance at once. */
  private void append(Envelope request) {
    try {
      requests.append(request).get(settings.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted before the request was recorded; retry it");
    } catch (ExecutionException | TimeoutException e) {
      throw ApiException.unavailable("the task log did not confirm the request in time; it may not be recorded:"
          + " retry it (with the same Idempotency-Key to be safe)");
    }
    replica.recordPending(request);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String abbreviate(String id) {
    String safe = id.replaceAll("[^\\x20-\\x7e]", "?");
    return safe.length() > 80 ? safe.substring(0, 80) + "…" : safe;
  }
}
